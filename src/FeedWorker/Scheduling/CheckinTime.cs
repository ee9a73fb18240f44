namespace FeedWorker.Scheduling;

/// <summary>Quartz stores times in its tables as UTC ticks.</summary>
internal static class CheckinTime
{
    public static DateTimeOffset FromStored(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
