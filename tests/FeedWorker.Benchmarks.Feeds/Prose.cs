using System.Text;

namespace FeedWorker.Benchmarks.Feeds;

/// <summary>
/// News-like English from a fixed vocabulary, driven by a seeded <see cref="Random"/>: the same seed
/// always writes the same words, and different seeds practically never write the same sentence.
/// </summary>
internal sealed class Prose(Random random)
{
    private static readonly string[] Nouns =
    [
        "government", "minister", "officials", "ceasefire", "border", "troops", "election", "parliament", "budget",
        "sanctions", "talks", "region", "capital", "province", "agreement", "report", "committee", "envoy", "council",
        "strike", "convoy", "refugees", "embassy", "negotiators", "coalition", "militia", "economy", "inflation",
        "prices", "harvest", "drought", "pipeline", "port", "airport", "hospital", "school", "court", "judge",
        "lawmakers", "senators", "governor", "mayor", "police", "protesters", "workers", "union", "company",
        "investors", "bank", "currency", "exports", "imports", "tariffs", "treaty", "summit", "delegation",
        "spokesman", "analysts", "observers", "journalists", "villagers", "residents", "farmers", "families",
        "contract", "deadline", "vote", "referendum", "campaign", "candidate", "opposition", "majority", "cabinet",
        "ministry", "agency", "inquiry", "investigation", "statement", "interview", "briefing", "proposal", "plan",
        "measure", "bill", "law", "decree", "constitution", "reform", "crisis", "conflict", "attack", "incident",
        "evacuation", "shipment", "aid", "funding", "loan", "debt", "deficit", "growth", "forecast", "survey",
    ];

    private static readonly string[] Verbs =
    [
        "said", "announced", "warned", "rejected", "approved", "signed", "demanded", "denied", "confirmed",
        "criticized", "praised", "proposed", "delayed", "suspended", "extended", "expanded", "reduced", "raised",
        "questioned", "welcomed", "condemned", "urged", "ordered", "blocked", "launched", "postponed", "accepted",
        "discussed", "reviewed", "estimated", "reported", "described", "insisted", "acknowledged", "predicted",
    ];

    private static readonly string[] Adjectives =
    [
        "new", "former", "senior", "local", "regional", "national", "foreign", "military", "economic", "political",
        "fragile", "tense", "sharp", "modest", "major", "minor", "recent", "previous", "unexpected", "temporary",
        "long-awaited", "controversial", "bipartisan", "independent", "official", "preliminary", "final", "urgent",
        "quiet", "public", "private", "rural", "coastal", "northern", "southern", "eastern", "western", "central",
    ];

    private static readonly string[] Connectives =
    [
        "on Tuesday", "last week", "earlier this month", "according to officials", "in a statement",
        "after weeks of talks", "despite objections", "for the second time", "without warning", "behind closed doors",
        "in the capital", "near the border", "by a narrow margin", "amid rising prices", "ahead of the vote",
    ];

    private static readonly string[] Names =
    [
        "Amara Okafor", "Lars Nilsson", "Mei Takahashi", "Rafael Ortega", "Ingrid Holm", "Tariq Haddad",
        "Sofia Marchetti", "Daniel Mbeki", "Hana Novak", "Omar Farouk", "Claire Dubois", "Viktor Petrov",
        "Aisha Rahman", "Jonas Weber", "Lucia Romero", "Kenji Watanabe", "Nadia Kovacs", "Pedro Alves",
    ];

    public string Name() => Pick(Names);

    public string Noun() => Pick(Nouns);

    public string Title()
    {
        var words = new[] { Capitalize(Pick(Adjectives)), Pick(Nouns), Pick(Verbs), "as", Pick(Nouns), Pick(Verbs), Pick(Connectives) };
        return string.Join(' ', words);
    }

    public string Sentence()
    {
        var builder = new StringBuilder(160);
        AppendSentence(builder);
        return builder.ToString();
    }

    public void AppendSentence(StringBuilder builder)
    {
        var start = builder.Length;
        builder.Append("The ").Append(Pick(Adjectives)).Append(' ').Append(Pick(Nouns)).Append(' ').Append(Pick(Verbs));
        var clauses = random.Next(1, 4);
        for (var i = 0; i < clauses; i++)
        {
            builder.Append(i % 2 == 0 ? " the " : " and the ").Append(Pick(Adjectives)).Append(' ').Append(Pick(Nouns));
            if (random.Next(3) == 0)
            {
                builder.Append(' ').Append(Pick(Connectives));
            }
        }
        if (random.Next(4) == 0)
        {
            // WordPress writes curly apostrophes as numeric references
            builder.Append(", the ").Append(Pick(Nouns)).Append("&#8217;s ").Append(Pick(Nouns)).Append(' ').Append(Pick(Verbs));
        }
        builder.Append(random.Next(12) == 0 ? '?' : '.');
        builder[start] = char.ToUpperInvariant(builder[start]);
    }

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => random.Next(minInclusive, maxExclusive);

    private string Pick(string[] words) => words[random.Next(words.Length)];

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
