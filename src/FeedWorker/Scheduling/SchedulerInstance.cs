namespace FeedWorker.Scheduling;

/// <summary>
/// This replica's name in the cluster: host name first, so that <c>health</c>, run in the same
/// container, can find its replica's heartbeat; then the process id and a random part, so that
/// two replicas never share an id (Quartz would treat them as one node).
/// </summary>
internal static class SchedulerInstance
{
    public const string SchedulerName = "FeedWorker";

    public static string NewId() => $"{HostPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public static string HostPrefix => Environment.MachineName + "-";
}

/// <summary>This replica's id: its name in Quartz's cluster and the owner of its claims on feeds.</summary>
internal sealed record ReplicaIdentity(string Id);
