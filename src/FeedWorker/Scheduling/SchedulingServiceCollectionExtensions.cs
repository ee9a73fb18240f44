using FeedWorker.Observability;
using FeedWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace FeedWorker.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// The long-running worker: due feeds are claimed from <c>feeds</c> by each replica's
    /// <see cref="FeedDispatcher"/>; Quartz.NET, clustered on the same PostgreSQL, keeps the cluster's
    /// membership (each replica's heartbeat, which <c>health</c> reads) and its maintenance duties.
    /// </summary>
    public static IServiceCollection AddFeedScheduling(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var section = configuration.GetSection(SchedulingOptions.Section);
        services.AddOptions<SchedulingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var settings = SchedulingOptions.From(configuration);
        var replica = new ReplicaIdentity(SchedulerInstance.NewId());
        // Quartz tells of its own start-up at Information, a dozen lines; StartupSummary says what a user needs
        if (configuration["Logging:LogLevel:Quartz"] is null)
        {
            services.AddLogging(logging => logging.AddFilter("Quartz", LogLevel.Warning));
        }

        services.AddSingleton(replica);
        services.AddSingleton(Random.Shared);
        services.AddSingleton<NextFetchPlanner>();
        services.AddSingleton<IFetchPlanner>(sp => sp.GetRequiredService<NextFetchPlanner>());
        services.AddKeyedSingleton(FeedDispatcher.SchedulingPool, (_, _) => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddKeyedSingleton(FeedDispatcher.SchedulingPool, (sp, key) => new FeedStore(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(key), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IFetchPlanner>()));
        services.AddSingleton<FeedDispatcher>();
        // the first sync runs before the dispatcher starts, so that a new feed is due at its first look
        services.AddHostedService<FeedListSynchronizer>();
        services.AddHostedService<StartupSummary>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedDispatcher>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerInstance.SchedulerName;
                s.InstanceId = replica.Id;
                s.ShutdownJobInterruption = ShutdownJobInterruption.Never;
            });
            q.UseDefaultThreadPool(1);
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
            q.AddJob<LapsedClaimsJob>(j => j.WithIdentity(LapsedClaimsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(LapsedClaimsJob.Key).WithIdentity(LapsedClaimsJob.Key.Name, LapsedClaimsJob.Key.Group)
                .WithSimpleSchedule(s => s.WithInterval(FeedDispatcher.Lease(settings)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddOneLineDatabaseFaultsForQuartz();
        return services;
    }
}
