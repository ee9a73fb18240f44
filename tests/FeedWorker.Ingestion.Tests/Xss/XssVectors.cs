using System.Globalization;
using System.Text;

namespace FeedWorker.Ingestion.Tests.Xss;

/// <param name="Id">1-based line number among the vectors: also the marker each payload reports.</param>
/// <param name="Kind">The evasion category.</param>
/// <param name="Html">The vector with its tokens filled in.</param>
public sealed record XssVector(int Id, string Kind, string Html);

/// <summary>Reads tests/xss/vectors.txt from the source tree and fills in the marker tokens for one recording server.</summary>
internal static class XssVectors
{
    /// <summary>Found by walking up from the test binaries to the repository's tests/xss folder.</summary>
    public static string FilePath
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "xss", "vectors.txt");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("tests/xss/vectors.txt not found above " + AppContext.BaseDirectory);
        }
    }

    /// <param name="hitUrl">The recording server's URL for a vector's id; any request to it means the vector fired.</param>
    public static IReadOnlyList<XssVector> Load(Func<int, Uri> hitUrl)
    {
        var vectors = new List<XssVector>();
        foreach (var line in File.ReadLines(FilePath, Encoding.UTF8))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var tab = line.IndexOf('\t');
            var id = vectors.Count + 1;
            var hit = hitUrl(id).AbsoluteUri;
            var html = Unescape(line[(tab + 1)..])
                .Replace("{P}", $"top.x({id})")
                .Replace("{ID}", id.ToString(CultureInfo.InvariantCulture))
                .Replace("{H}", hit)
                .Replace("{B64H}", Base64($"<script>new Image().src='{hit}'</script>"))
                .Replace("{B64SVGH}", Base64($"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"new Image().src='{hit}'\"/>"))
                .Replace("{B64P}", Base64($"top.x({id})"));
            vectors.Add(new XssVector(id, line[..tab], html));
        }
        return vectors;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>\t \n \r \f \v \0 \\ and \uXXXX; any other backslash stays as written (some vectors need one).</summary>
    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var next = text[i + 1];
            char? decoded = next switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                'f' => '\f',
                'v' => '\v',
                '0' => '\0',
                '\\' => '\\',
                _ => null,
            };
            if (decoded is { } c)
            {
                result.Append(c);
                i++;
            }
            else if (next == 'u' && i + 5 < text.Length && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                result.Append((char)code);
                i += 5;
            }
            else
            {
                result.Append('\\');
            }
        }
        return result.ToString();
    }
}
