using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FeedWorker.Storage.Migrations;

/// <summary>
/// A story whose search vector would pass PostgreSQL's 1 MB tsvector limit is stored with the vector of the start of its
/// fields, instead of being refused (54000 "string is too long for tsvector") and skipped. Long texts of many distinct
/// words hit it: code, tables of figures, hashes, or Chinese and Japanese, where a run of characters between two stops
/// is one word. Only rows of 64 KB or more pay for the guard: its exception block starts a subtransaction, which the
/// common row should not.
/// </summary>
[DbContext(typeof(FeedWorkerDbContext))]
[Migration("20261206220000_BoundedSearchVector")]
public sealed class BoundedSearchVector : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(BoundedFunction);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(RevisionsNotificationsSearchConfig.SearchVectorFunction);

    /// <summary>
    /// Title, summary and text together below this many bytes cannot make a vector over the limit: the densest texts
    /// tried (distinct words, hyphenated compounds indexed with their parts, hosts, numbers) make a vector of at most
    /// 4.3 times their bytes. Text, so the function's SQL stays a constant.
    /// </summary>
    internal const string UnguardedTextBytes = "65536";

    private const string BoundedFunction = $$"""
        CREATE OR REPLACE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            kept int;
        BEGIN
            NEW.search_config := coalesce(NEW.search_config, feedworker_search_config(NEW.language));
            IF coalesce(octet_length(NEW.title), 0) + coalesce(octet_length(NEW.summary), 0)
                + coalesce(octet_length(NEW.content_text), 0) < {{UnguardedTextBytes}} THEN
                NEW.search_vector :=
                    setweight(to_tsvector(NEW.search_config, coalesce(NEW.title, '')), 'A') ||
                    setweight(to_tsvector(NEW.search_config, coalesce(NEW.summary, '')), 'B') ||
                    setweight(to_tsvector(NEW.search_config, coalesce(NEW.content_text, '')), 'C');
                RETURN NEW;
            END IF;
            kept := greatest(length(NEW.title), length(NEW.summary), length(NEW.content_text));
            LOOP
                BEGIN
                    NEW.search_vector :=
                        setweight(to_tsvector(NEW.search_config, left(coalesce(NEW.title, ''), kept)), 'A') ||
                        setweight(to_tsvector(NEW.search_config, left(coalesce(NEW.summary, ''), kept)), 'B') ||
                        setweight(to_tsvector(NEW.search_config, left(coalesce(NEW.content_text, ''), kept)), 'C');
                    RETURN NEW;
                EXCEPTION WHEN program_limit_exceeded THEN
                    -- the condition names the whole class 54 (stack depth, too many columns, ...): only the tsvector
                    -- limit shrinks with the text
                    IF SQLSTATE <> '54000' OR kept = 0 THEN
                        RAISE;
                    END IF;
                    -- the limit is on the vector, not the text: try three quarters of the length, so a text just over
                    -- it keeps most of its words searchable
                    kept := kept / 4 * 3;
                END;
            END LOOP;
        END
        $fn$;
        """;
}
