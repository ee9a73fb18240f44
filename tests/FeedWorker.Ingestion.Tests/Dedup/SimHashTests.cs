using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.Ingestion.Tests.Dedup;

public sealed class SimHashTests
{
    private static readonly string[] SeedParagraphs = File
        .ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", "000_76d62e61560ace4b.txt"))
        .ReplaceLineEndings("\n")
        .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static readonly string SeedText = string.Join("\n\n", SeedParagraphs);

    // A different story of about the same length, for the "unrelated" and pinned-hash cases.
    private const string UnrelatedText = """
        The city council of Riverton voted on Tuesday evening to approve a new plan for the municipal water system, ending months of debate over how to pay for the replacement of pipes that in some neighborhoods are more than a century old.

        Under the plan, residential water rates will rise by about four percent a year for the next five years. The money will go into a dedicated fund for repairs, and the utility will publish a quarterly report showing which streets have been dug up and what the work cost.

        Supporters on the council said the vote was overdue. Last winter a series of main breaks left parts of the east side without running water for two days, and the local hospital had to bring in tanker trucks. "We have been patching the same lines for twenty years," said council member Dana Whitfield, who chairs the public works committee. "At some point the patches cost more than the pipe."

        Opponents argued that the increase would fall hardest on retirees and renters, whose landlords are likely to pass the cost along. Two members proposed a discount for low-income households, and the council agreed to study the idea and return with numbers by the spring.

        The utility's director, Marcus Lee, told the council that the first phase would focus on the oldest cast iron mains near the river, where soil conditions speed up corrosion. Crews expect to begin work in March, weather permitting, and to finish about six miles of pipe by the end of the year.

        Residents who want to follow the project can sign up for email updates on the city's website, where a map will show planned closures a week in advance. The council will hold a public hearing on the low-income discount next month at the library on Main Street.
        """;

    // Same region and actors as the seed, different story: near-duplicate detection must not merge it.
    private const string SameTopicText = """
        Iraqi lawmakers on Sunday debated a resolution calling on the government to set a timetable for the departure of foreign troops, a demand that has gained support since a string of attacks on military convoys near Baghdad.

        The session, attended by about two hundred members of parliament, ended without a vote after Kurdish and Sunni blocs walked out. They argue that an early withdrawal would leave the country exposed to a revival of Islamic State cells in the desert regions of Anbar and Nineveh.

        Prime Minister Mustafa Kadhimi has tried to steer between the factions. His office said in a statement that talks with Washington on the future of the coalition were making progress and that any change would be gradual and coordinated with Iraqi security forces.

        Militia leaders allied with Iran have warned that they will step up pressure if the government does not act. One commander told a television channel that the patience of the armed factions was running out and that the embassy in the Green Zone would not be safe while American troops remained.

        American officials have said the United States has no plans to leave Iraq entirely. A spokesman for the coalition said the mission was focused on training and advising Iraqi units and that the number of troops had already been reduced this year.
        """;

    [Fact]
    public void Seed_article_is_long_enough_to_be_hashed()
    {
        Assert.True(SeedParagraphs.Length >= 8, "the seed article should have its paragraphs");
        Assert.NotNull(SimHash.Of(SeedText));
    }

    [Fact]
    public void Case_whitespace_and_punctuation_do_not_change_the_hash()
    {
        var variant = SeedText.ToUpperInvariant().Replace("\n\n", "   ", StringComparison.Ordinal)
            .Replace('’', '\'').Replace('“', '"').Replace('”', '"').Replace(",", "", StringComparison.Ordinal);

        Assert.Equal(SimHash.Of(SeedText), SimHash.Of(variant));
    }

    [Fact]
    public void Seed_with_a_few_words_edited_is_a_near_duplicate()
    {
        var edited = SeedText
            .Replace("“furious”", "“outraged”", StringComparison.Ordinal)
            .Replace("rocket attacks", "rocket strikes", StringComparison.Ordinal);
        Assert.NotEqual(SeedText, edited);

        Assert.InRange(Distance(SeedText, edited), 0, SimHash.NearDuplicateDistance);
    }

    [Fact]
    public void Seed_with_a_syndication_footer_is_a_near_duplicate()
    {
        var republished = SeedText + "\n\nThe post US Threat to Evacuate Iraq Embassy Raises Fear of War appeared first on Antiwar.com.";

        Assert.InRange(Distance(SeedText, republished), 0, SimHash.NearDuplicateDistance);
    }

    [Fact]
    public void Single_word_edits_of_the_seed_stay_near_duplicates()
    {
        // SimHash is probabilistic per edit: measured 98% of single-word substitutions of the seed stay
        // within 3 bits. The bound leaves room without letting the property go unchecked.
        var words = SeedText.Split(' ');
        string[] replacements = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
        var random = new Random(20201001);
        var seedHash = SimHash.Of(SeedText)!.Value;
        var near = 0;
        const int Trials = 200;

        for (var trial = 0; trial < Trials; trial++)
        {
            var edited = (string[])words.Clone();
            edited[random.Next(edited.Length)] = replacements[random.Next(replacements.Length)];
            if (SimHash.Distance(seedHash, SimHash.Of(string.Join(' ', edited))!.Value) <= SimHash.NearDuplicateDistance)
                near++;
        }

        Assert.True(near >= Trials * 9 / 10, $"{near} of {Trials} single-word edits within {SimHash.NearDuplicateDistance} bits");
    }

    [Fact]
    public void Unrelated_articles_are_far_apart()
    {
        // Independent 64-bit hashes differ in 32 bits on average; measured 33 and 36 here.
        Assert.True(Distance(SeedText, UnrelatedText) >= 16);
        Assert.True(Distance(SeedText, SameTopicText) >= 16);
        Assert.True(Distance(UnrelatedText, SameTopicText) >= 16);
    }

    [Fact]
    public void Hash_of_a_fixed_text_is_pinned()
    {
        // Intentional pin: stored SimHashes are compared with ones computed by other processes and
        // later versions, so the value must never change by accident (a per-process seeded hash such
        // as string.GetHashCode, another word split or shingle hash). Change it only together with a
        // migration that recomputes stored hashes.
        Assert.Equal(PinnedUnrelatedTextHash, SimHash.Of(UnrelatedText));
    }

    private const long PinnedUnrelatedTextHash = -1051954014236914745;

    [Fact]
    public void Text_shorter_than_the_minimum_gives_null()
    {
        var words = Enumerable.Range(0, SimHash.MinimumWords).Select(i => $"word{i}").ToArray();

        Assert.Null(SimHash.Of(string.Join(' ', words[..^1])));
        Assert.NotNull(SimHash.Of(string.Join(' ', words)));
        Assert.Null(SimHash.Of(null));
        Assert.Null(SimHash.Of(""));
        Assert.Null(SimHash.Of(" -- ... !!! "));
    }

    [Theory]
    [InlineData(0L, 0L, 0)]
    [InlineData(0L, -1L, 64)]
    [InlineData(1L, 3L, 1)]
    [InlineData(long.MinValue, 0L, 1)]
    [InlineData(0x0F0F_0F0F_0F0F_0F0FL, 0x0F0F_0F0F_0F0F_0F00L, 4)]
    public void Distance_counts_differing_bits(long a, long b, int expected)
    {
        Assert.Equal(expected, SimHash.Distance(a, b));
        Assert.Equal(expected, SimHash.Distance(b, a));
    }

    [Fact]
    public void Bands_are_the_four_16_bit_slices_low_first()
    {
        Assert.Equal([0xCDEF, 0x89AB, 0x4567, 0x0123], SimHash.Bands(0x0123_4567_89AB_CDEFL));
        Assert.Equal([0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF], SimHash.Bands(-1L));
        Assert.Equal([0, 0, 0, 0x8000], SimHash.Bands(long.MinValue));
    }

    [Fact]
    public void Near_duplicates_always_share_a_band()
    {
        var random = new Random(64);
        for (var pair = 0; pair < 20_000; pair++)
        {
            var hash = random.NextInt64(long.MinValue, long.MaxValue);
            var other = hash;
            var flips = random.Next(SimHash.NearDuplicateDistance + 1);
            foreach (var bit in Enumerable.Range(0, 64).OrderBy(_ => random.Next()).Take(flips))
                other ^= 1L << bit;

            Assert.Equal(flips, SimHash.Distance(hash, other));
            var bands = SimHash.Bands(hash);
            var otherBands = SimHash.Bands(other);
            Assert.Contains(Enumerable.Range(0, 4), band => bands[band] == otherBands[band]);
        }
    }

    [Fact]
    public void Four_bits_spread_over_all_bands_share_none()
    {
        // The bound of the pigeonhole argument: one more bit can defeat the band index.
        const long hash = 0x1234_5678_9ABC_DEF0L;
        const long other = hash ^ (1L << 0) ^ (1L << 16) ^ (1L << 32) ^ (1L << 48);

        Assert.Equal(4, SimHash.Distance(hash, other));
        Assert.DoesNotContain(Enumerable.Range(0, 4), band => SimHash.Bands(hash)[band] == SimHash.Bands(other)[band]);
    }

    private static int Distance(string first, string second) =>
        SimHash.Distance(SimHash.Of(first)!.Value, SimHash.Of(second)!.Value);
}
