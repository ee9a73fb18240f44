using System.Globalization;

namespace FeedWorker.Configuration;

/// <summary>Reads the intervals people write in configuration: "00:30:00" as well as "30m".</summary>
internal static class FeedIntervals
{
    public static bool TryParse(string text, out TimeSpan interval)
    {
        text = text.Trim();
        if (text.Length > 1 && char.IsAsciiLetter(text[^1])
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? parsed = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            interval = parsed ?? default;
            return parsed is not null;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out interval);
    }
}
