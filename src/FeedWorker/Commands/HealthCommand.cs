using System.CommandLine;
using FeedWorker.Scheduling;
using FeedWorker.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace FeedWorker.Commands;

/// <summary>
/// <c>health</c>: for a container HEALTHCHECK. Healthy when the database answers and a worker on this
/// host (this container's replica) has checked in with the scheduler cluster recently. Exit 0 or 1,
/// with one line saying why.
/// </summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var command = new Command("health", "Exit 0 when the database is reachable and this replica's scheduler heartbeat is fresh.");
        command.SetAction(async (_, cancellationToken) =>
        {
            // a probe, not a worker: the stores and one scheduling setting, no scheduler
            using var host = CommandHost.Build();
            if (CommandHost.MissingConnectionString(host) is { } missing)
            {
                await Console.Error.WriteLineAsync($"unhealthy: {missing}");
                return 1;
            }
            var checkin = SchedulingOptions.From(host.Services.GetRequiredService<IConfiguration>()).ClusterCheckinInterval;
            var (healthy, reason) = await CheckAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), checkin, cancellationToken);
            await (healthy ? Console.Out : Console.Error).WriteLineAsync((healthy ? "healthy: " : "unhealthy: ") + reason);
            return healthy ? 0 : 1;
        });
        return command;
    }

    internal static async Task<(bool Healthy, string Reason)> CheckAsync(NpgsqlDataSource dataSource, TimeSpan checkinInterval, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand($"""
                SELECT max(last_checkin_time) FROM {QuartzTables.TablePrefix}scheduler_state
                WHERE sched_name = @scheduler AND starts_with(instance_name, @host)
                """);
            command.Parameters.AddWithValue("scheduler", SchedulerInstance.SchedulerName);
            command.Parameters.AddWithValue("host", SchedulerInstance.HostPrefix);
            command.CommandTimeout = 5;
            var result = await command.ExecuteScalarAsync(cancellationToken);
            if (result is not long lastCheckin)
            {
                return (false, $"no scheduler of this host ({Environment.MachineName}) has checked in");
            }
            var age = DateTimeOffset.UtcNow - CheckinTime.FromStored(lastCheckin);
            // a heartbeat counts as fresh for three check-in intervals, so one slow round is not an outage
            return age <= checkinInterval * 3
                ? (true, $"database reachable, scheduler checked in {age.TotalSeconds:0.#} s ago")
                : (false, $"scheduler heartbeat is stale: last check-in {age.TotalSeconds:0} s ago");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return (false, $"database unreachable: {StorageUnavailableException.Describe(e)}");
        }
    }
}
