namespace FeedWorker.Storage;

/// <summary>
/// Where the scheduler's job store lives: Quartz.NET's own tables, in a schema of their own so they
/// never mix with the archive users query. Our migrations create them (see the QuartzSchema migration).
/// </summary>
public static class QuartzTables
{
    public const string Schema = "quartz";

    /// <summary>The table prefix Quartz is configured with: schema-qualified.</summary>
    public const string TablePrefix = Schema + ".qrtz_";

    private const string ScriptResource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    /// <summary>
    /// The DDL that matches the Quartz version we run, read from Quartz.dll rather than copied:
    /// every statement only creates what is missing, so running it again is harmless.
    /// </summary>
    public static string CreateScript()
    {
        using var stream = typeof(Quartz.IJob).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"Quartz.dll does not embed {ScriptResource}; the Quartz version changed how it ships its schema.");
        using var reader = new StreamReader(stream);
        // {0}: the prefix for table names; {1}: the same without the schema, for index and constraint names
        return reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", "qrtz_", StringComparison.Ordinal);
    }
}
