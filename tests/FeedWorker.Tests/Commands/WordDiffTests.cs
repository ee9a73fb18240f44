using FeedWorker.Commands;

namespace FeedWorker.Tests.Commands;

public sealed class WordDiffTests
{
    [Fact]
    public void A_replaced_word_shows_as_one_deletion_and_one_insertion_between_the_shared_words()
    {
        var segments = WordDiff.Compare("the vote was held on Monday evening", "the vote was held on Tuesday evening");

        Assert.Equal(
            [
                new DiffSegment(DiffKind.Same, "the vote was held on "),
                new DiffSegment(DiffKind.Deleted, "Monday"),
                new DiffSegment(DiffKind.Inserted, "Tuesday"),
                new DiffSegment(DiffKind.Same, " evening"),
            ],
            segments);
    }

    [Fact]
    public void Long_unchanged_stretches_are_elided_to_the_words_next_to_each_change()
    {
        var words = Enumerable.Range(1, 40).Select(i => $"w{i}").ToList();
        var before = string.Join(' ', words);
        var after = string.Join(' ', words.Select(w => w == "w20" ? "changed" : w));

        var shown = string.Concat(WordDiff.AroundChanges(WordDiff.Compare(before, after)).Select(s => s.Kind switch
        {
            DiffKind.Deleted => "[-" + s.Text + "-]",
            DiffKind.Inserted => "{+" + s.Text + "+}",
            _ => s.Text,
        }));

        Assert.Equal("… w12 w13 w14 w15 w16 w17 w18 w19 [-w20-]{+changed+} w21 w22 w23 w24 w25 w26 w27 w28 …", shown);
    }

    [Fact]
    public void Equal_texts_are_one_unchanged_segment()
    {
        Assert.Equal([new DiffSegment(DiffKind.Same, "same words")], WordDiff.Compare("same words", "same words"));
    }
}
