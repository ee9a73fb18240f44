using System.Net;
using FeedWorker.Ingestion.Fetching;

namespace FeedWorker.Ingestion.Tests.Fetching;

public sealed class DestinationPolicyTests
{
    private static DestinationPolicy Policy(params string[] allowlist) => new(allowlist);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("100.64.0.1")]      // CGNAT
    [InlineData("100.100.100.200")] // Alibaba metadata
    [InlineData("224.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]   // AWS metadata over IPv6
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    public void Internal_addresses_are_refused(string address)
    {
        Assert.True(Policy().IsRefused(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("::ffff:93.184.216.34")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.False(Policy().IsRefused(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowlisted_networks_and_addresses_are_reachable()
    {
        var policy = Policy("10.20.0.0/16", "127.0.0.1", "intranet.example");

        Assert.False(policy.IsRefused(IPAddress.Parse("10.20.30.40")));
        Assert.True(policy.IsRefused(IPAddress.Parse("10.21.0.1")));
        Assert.False(policy.IsRefused(IPAddress.Parse("127.0.0.1")));
        Assert.True(policy.IsRefused(IPAddress.Parse("127.0.0.2")));
        Assert.True(policy.IsHostAllowlisted("Intranet.Example."));
        Assert.False(policy.IsHostAllowlisted("example"));
    }
}
