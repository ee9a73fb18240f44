using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FeedWorker.Commands;

/// <summary>Checks every command that touches feeds runs before doing anything.</summary>
internal static class StartupChecks
{
    /// <summary>Validates every options type registered with ValidateOnStart, printing each failure with its configuration path.</summary>
    public static bool ValidConfiguration(IHost host)
    {
        try
        {
            // every options type registered with ValidateOnStart (feeds, fetcher)
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            return true;
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException)
        {
            var failures = e is AggregateException all
                ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(v => v.Failures)
                : ((OptionsValidationException)e).Failures;
            foreach (var failure in failures) Console.Error.WriteLine($"configuration error: {failure}");
            return false;
        }
        catch (InvalidOperationException e)
        {
            // the binder names the path of a value it cannot convert
            Console.Error.WriteLine($"configuration error: {e.Message}");
            return false;
        }
    }
}
