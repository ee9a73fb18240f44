using FeedWorker.Ingestion.Dedup;

namespace FeedWorker.Ingestion.Tests.Dedup;

public sealed class CanonicalUrlTests
{
    [Theory]
    [InlineData("utm_source")]
    [InlineData("utm_medium")]
    [InlineData("utm_campaign")]
    [InlineData("utm_term")]
    [InlineData("utm_content")]
    [InlineData("utm_id")]
    [InlineData("UTM_Source")]
    [InlineData("utm%5Fsource")]
    [InlineData("fbclid")]
    [InlineData("gclid")]
    [InlineData("gclsrc")]
    [InlineData("dclid")]
    [InlineData("gbraid")]
    [InlineData("wbraid")]
    [InlineData("msclkid")]
    [InlineData("yclid")]
    [InlineData("twclid")]
    [InlineData("ttclid")]
    [InlineData("li_fat_id")]
    [InlineData("igshid")]
    [InlineData("igsh")]
    [InlineData("srsltid")]
    [InlineData("_ga")]
    [InlineData("_gl")]
    [InlineData("mc_cid")]
    [InlineData("mc_eid")]
    [InlineData("mkt_tok")]
    [InlineData("_hsenc")]
    [InlineData("_hsmi")]
    [InlineData("__hstc")]
    [InlineData("__hssc")]
    [InlineData("__hsfp")]
    [InlineData("hsCtaTracking")]
    [InlineData("vero_id")]
    [InlineData("vero_conv")]
    [InlineData("_openstat")]
    [InlineData("oly_anon_id")]
    [InlineData("oly_enc_id")]
    [InlineData("s_cid")]
    [InlineData("ref_src")]
    [InlineData("ref_url")]
    public void Tracking_parameter_is_removed_and_the_others_are_kept(string name)
    {
        Assert.Equal(
            "https://example.com/news/1?id=7&page=2",
            CanonicalUrl.From($"https://example.com/news/1?id=7&{name}=abc&page=2"));
        Assert.Equal("https://example.com/news/1", CanonicalUrl.From($"https://example.com/news/1?{name}=abc"));
        Assert.Equal("https://example.com/news/1", CanonicalUrl.From($"https://example.com/news/1?{name}"));
    }

    [Theory]
    [InlineData("ref")]
    [InlineData("source")]
    [InlineData("id")]
    [InlineData("utm")]
    [InlineData("xutm_source")]
    [InlineData("gclid_page")]
    public void Parameters_that_only_resemble_tracking_ones_are_kept(string name)
    {
        Assert.Equal($"https://example.com/a?{name}=1", CanonicalUrl.From($"https://example.com/a?{name}=1"));
    }

    [Theory]
    [InlineData("http://example.com:80/a", "http://example.com/a")]
    [InlineData("https://example.com:443/a", "https://example.com/a")]
    [InlineData("http://example.com:443/a", "http://example.com:443/a")]
    [InlineData("https://example.com:80/a", "https://example.com:80/a")]
    [InlineData("https://example.com:8443/a", "https://example.com:8443/a")]
    public void Only_the_default_port_is_dropped(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Theory]
    [InlineData("HTTPS://Example.COM/Path/To/Article", "https://example.com/Path/To/Article")]
    [InlineData("Http://WWW.Example.Com/a?Key=Value", "http://www.example.com/a?Key=Value")]
    public void Scheme_and_host_are_lower_cased_but_path_and_query_keep_their_case(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Theory]
    [InlineData("https://example.com/a#section-2", "https://example.com/a")]
    [InlineData("https://example.com/a?id=1#top", "https://example.com/a?id=1")]
    [InlineData("https://example.com/a?utm_source=x#top", "https://example.com/a")]
    public void Fragment_is_dropped(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Fact]
    public void Kept_parameters_stay_in_their_order_and_spelling()
    {
        Assert.Equal(
            "https://example.com/search?z=1&a=2&m=%2Fx&flag&empty=",
            CanonicalUrl.From("https://example.com/search?z=1&utm_source=rss&a=2&m=%2Fx&fbclid=1&flag&empty="));
    }

    [Theory]
    [InlineData("https://example.com/a?", "https://example.com/a")]
    [InlineData("https://example.com/a?&&", "https://example.com/a")]
    [InlineData("https://example.com/a?&id=1&&page=2&", "https://example.com/a?id=1&page=2")]
    [InlineData("https://example.com/a?=orphan&id=1", "https://example.com/a?id=1")]
    public void Empty_query_and_empty_parameters_are_removed(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Theory]
    [InlineData("https://example.com", "https://example.com/")]
    [InlineData("https://example.com/a/", "https://example.com/a/")]
    [InlineData("https://example.com/a/./b/../c", "https://example.com/a/c")]
    public void Path_is_normalized_by_uri_rules_and_a_trailing_slash_is_kept(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Theory]
    [InlineData("https://example.com/über?q=süß", "https://example.com/%C3%BCber?q=s%C3%BC%C3%9F")]
    [InlineData("https://example.com/%c3%bcber?q=s%c3%bc%c3%9f", "https://example.com/%C3%BCber?q=s%C3%BC%C3%9F")]
    [InlineData("https://example.com/a%2fb?next=%2fhome", "https://example.com/a%2Fb?next=%2Fhome")]
    [InlineData("https://example.com/100%25?x=%zz", "https://example.com/100%25?x=%25zz")]
    public void Escapes_are_spelled_one_way(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Fact]
    public void Internationalized_host_becomes_punycode()
    {
        Assert.Equal("https://xn--bcher-kva.de/buch", CanonicalUrl.From("https://Bücher.de/buch"));
        Assert.Equal(CanonicalUrl.From("https://xn--bcher-kva.de/buch"), CanonicalUrl.From("https://bücher.de/buch"));
    }

    [Theory]
    [InlineData("http://[::1]:8080/a", "http://[::1]:8080/a")]
    [InlineData("http://127.0.0.1:80/a", "http://127.0.0.1/a")]
    [InlineData("https://user:secret@example.com/a", "https://user:secret@example.com/a")]
    [InlineData("  https://example.com/a  ", "https://example.com/a")]
    public void Other_url_parts_are_kept(string url, string expected)
    {
        Assert.Equal(expected, CanonicalUrl.From(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/2020/09/article")]
    [InlineData("article.html")]
    [InlineData("//example.com/a")]
    [InlineData("ftp://example.com/file")]
    [InlineData("mailto:editor@example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://")]
    [InlineData("not a url at all")]
    public void Relative_invalid_or_non_http_input_gives_null(string? url)
    {
        Assert.Null(CanonicalUrl.From(url));
    }

    [Fact]
    public void Variants_of_one_article_share_a_canonical_url()
    {
        string[] variants =
        [
            "https://news.example.com/world/iraq-embassy?id=42",
            "HTTPS://News.Example.com:443/world/iraq-embassy?id=42#comments",
            "https://news.example.com/world/iraq-embassy?utm_source=feedburner&utm_medium=feed&id=42",
            "https://news.example.com/world/iraq-embassy?id=42&fbclid=IwAR0abc&mc_cid=1&mc_eid=2",
        ];

        Assert.Single(variants.Select(CanonicalUrl.From).Distinct());
    }
}
