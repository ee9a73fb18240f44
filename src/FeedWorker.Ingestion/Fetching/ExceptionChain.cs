namespace FeedWorker.Ingestion.Fetching;

/// <summary>Looks through an exception and the ones it wraps, outermost first.</summary>
internal static class ExceptionChain
{
    public static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match) return match;
        }
        return null;
    }
}
