using Microsoft.Extensions.Options;

namespace FeedWorker.Ingestion.Fetching;

/// <summary>Fails start-up with every wrong <c>FeedWorker:Fetcher</c> setting named.</summary>
internal sealed class FetcherOptionsValidator : IValidateOptions<FetcherOptions>
{
    public ValidateOptionsResult Validate(string? name, FetcherOptions options)
    {
        var errors = options.Validate().Select(e => $"{FetcherOptions.SectionName}: {e}").ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
