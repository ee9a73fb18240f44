using FeedWorker.Observability;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace FeedWorker.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// The long-running worker: Quartz.NET with its job store in our PostgreSQL, clustered, so that
    /// any number of replicas share the feeds and each due fetch runs on exactly one of them.
    /// </summary>
    public static IServiceCollection AddFeedScheduling(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var section = configuration.GetSection(SchedulingOptions.Section);
        services.AddOptions<SchedulingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var settings = SchedulingOptions.From(configuration);

        services.AddSingleton(Random.Shared);
        services.AddSingleton<NextFetchPlanner>();
        services.AddSingleton<FeedJobReconciler>();
        services.AddHostedService<FeedListSynchronizer>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerInstance.SchedulerName;
                s.InstanceId = SchedulerInstance.NewId();
                // in-flight fetches finish on SIGTERM; the host's shutdown timeout bounds the wait
                s.ShutdownJobInterruption = ShutdownJobInterruption.Never;
                // acquire due triggers in batches: one lock round-trip per batch, not per feed
                s.MaxBatchSize = settings.MaxConcurrentFetches;
                s.BatchTriggerAcquisitionFireAheadTimeWindow = TimeSpan.FromSeconds(1);
            });
            q.UseDefaultThreadPool(settings.MaxConcurrentFetches);
            RetentionJob.Schedule(q);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = QuartzTables.TablePrefix;
                    // our migrations create the tables; Quartz only checks them
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                });
                store.UseClustering(c =>
                {
                    c.CheckinInterval = settings.ClusterCheckinInterval;
                    c.CheckinMisfireThreshold = settings.ClusterCheckinInterval * 2;
                });
                store.UseSystemTextJsonSerializer();
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddOneLineDatabaseFaultsForQuartz();
        return services;
    }
}
