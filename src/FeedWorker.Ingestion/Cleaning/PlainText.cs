using System.Buffers;
using System.Text;
using AngleSharp.Dom;

namespace FeedWorker.Ingestion.Cleaning;

/// <summary>
/// Plain text of a sanitized DOM: one paragraph per block element, paragraphs separated by a blank
/// line, &lt;br&gt; as a line break, whitespace collapsed. Written by hand because TextContent loses
/// block and &lt;br&gt; boundaries, and AngleSharp.Css GetInnerText needs a CSS browsing context and
/// computes styles (several times slower); block structure is all the text needs.
/// </summary>
internal sealed class PlainText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
        "table", "thead", "tbody", "tfoot", "tr", "caption", "section", "article", "aside", "header", "footer", "main",
        "nav", "figure", "figcaption", "address", "details", "summary", "hr", "center", "fieldset", "picture", "video", "audio",
    };

    private readonly StringBuilder _text;
    private bool _lineStarted;
    private bool _pendingSpace;
    private int _pendingBreak; // 0 none, 1 line break, 2 paragraph break

    private PlainText(StringBuilder text) => _text = text;

    /// <param name="root">The DOM to read.</param>
    /// <param name="buffer">An empty buffer to write the text into, lent by the caller so that it can be reused.</param>
    public static string Of(INode root, StringBuilder buffer)
    {
        var writer = new PlainText(buffer);
        writer.Walk(root, preformatted: false);
        writer.Break(0);
        return buffer.ToString();
    }

    private void Walk(INode node, bool preformatted)
    {
        var children = node.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            switch (children[i])
            {
                case IText text:
                    AppendText(text.Data, preformatted);
                    break;
                case IElement element when element.LocalName == "br":
                    Break(1);
                    break;
                case IElement element when element.LocalName is "td" or "th":
                    _pendingSpace = true;
                    Walk(element, preformatted);
                    _pendingSpace = true;
                    break;
                case IElement element when Blocks.Contains(element.LocalName):
                    Break(2);
                    Walk(element, preformatted || element.LocalName == "pre");
                    Break(2);
                    break;
                case IElement element:
                    Walk(element, preformatted);
                    break;
            }
        }
    }

    private void AppendText(string data, bool preformatted)
    {
        // word by word: the rules only differ at whitespace
        var rest = data.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(WhiteSpace);
            var word = end < 0 ? rest : rest[..end];
            if (!word.IsEmpty)
            {
                if (_lineStarted && _pendingSpace)
                {
                    _text.Append(' ');
                }
                else if (!_lineStarted)
                {
                    FlushBreak();
                    _lineStarted = true;
                }
                _pendingSpace = false;
                _text.Append(word);
            }
            if (end < 0)
            {
                return;
            }
            if (preformatted && rest[end] == '\n')
            {
                Break(1);
            }
            else
            {
                _pendingSpace = true;
            }
            rest = rest[(end + 1)..];
        }
    }

    /// <summary>Every character <see cref="char.IsWhiteSpace(char)"/> accepts.</summary>
    private static readonly SearchValues<char> WhiteSpace = SearchValues.Create(
        string.Concat(Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace)));

    private void Break(int strength)
    {
        _lineStarted = false;
        _pendingSpace = false;
        if (_text.Length > 0)
        {
            _pendingBreak = Math.Max(_pendingBreak, strength);
        }
    }

    private void FlushBreak()
    {
        _text.Append(_pendingBreak switch { 2 => "\n\n", 1 => "\n", _ => "" });
        _pendingBreak = 0;
    }
}
