using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Tests.Configuration;

public class GracefulDisconnectOptionsValidationTests
{
    private static GracefulDisconnectOptions Resolve(Action<GracefulDisconnectOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;
    }

    private static OptionsValidationException Invalid(Action<GracefulDisconnectOptions> configure)
        => Assert.Throws<OptionsValidationException>(() => Resolve(configure));

    [Fact]
    public void Value_DefaultOptions_AreValid()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), Resolve(_ => { }).GracePeriod);
    }

    [Fact]
    public void Value_FullyCustomisedValidOptions_AreKept()
    {
        var options = Resolve(o =>
        {
            o.GracePeriod = TimeSpan.FromSeconds(1);
            o.GracePeriodOverrides["slow"] = TimeSpan.FromDays(30);
            o.TimeZone = "Asia/Tokyo";
            o.Culture = "ja-JP";
            o.TimestampFormat = "yyyy/MM/dd HH:mm";
            o.Templates.Subject = "{{alert}} {thing}";
            o.MaxConcurrentRechecks = 1;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
        });

        Assert.Equal("Asia/Tokyo", options.TimeZone);
        Assert.Equal(TimeSpan.FromDays(30), options.GracePeriodFor("slow"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9_999_999L)]
    [InlineData(-10_000_000L)]
    [InlineData(25_920_000_000_001L)]
    public void Value_GracePeriodOutOfRange_NamesItAndTheRange(long ticks)
    {
        var exception = Invalid(o => o.GracePeriod = TimeSpan.FromTicks(ticks));

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("GracePeriod:", failure, StringComparison.Ordinal);
        Assert.Contains("between 00:00:01 and 30.00:00:00", failure, StringComparison.Ordinal);
        Assert.Equal(typeof(GracefulDisconnectOptions), exception.OptionsType);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(31L * TimeSpan.TicksPerDay)]
    public void Value_BadOverride_NamesTheThing(long ticks)
    {
        var exception = Invalid(o => o.GracePeriodOverrides["cellular-7"] = TimeSpan.FromTicks(ticks));

        var failure = Assert.Single(exception.Failures);
        Assert.Contains("GracePeriodOverrides[cellular-7]", failure, StringComparison.Ordinal);
        Assert.Contains("between 00:00:01 and 30.00:00:00", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_UnknownTimeZone_NamesItAndSuggestsIana()
    {
        var failure = Assert.Single(Invalid(o => o.TimeZone = "Mars/Olympus_Mons").Failures);

        Assert.Contains("TimeZone", failure, StringComparison.Ordinal);
        Assert.Contains("'Mars/Olympus_Mons' is not a known time zone", failure, StringComparison.Ordinal);
        Assert.Contains("Asia/Tokyo", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Value_EmptyTimeZone_IsRequired(string timeZone)
    {
        var failure = Assert.Single(Invalid(o => o.TimeZone = timeZone).Failures);

        Assert.StartsWith("TimeZone:", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xx-NOPE")]
    [InlineData("not a culture")]
    public void Value_UnknownCulture_NamesIt(string culture)
    {
        var failure = Assert.Single(Invalid(o => o.Culture = culture).Failures);

        Assert.Contains("Culture", failure, StringComparison.Ordinal);
        Assert.Contains($"'{culture}' is not a known culture", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_BadTimestampFormat_NamesIt()
    {
        var failure = Assert.Single(Invalid(o => o.TimestampFormat = "%").Failures);

        Assert.Contains("TimestampFormat", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_UnknownPlaceholderInSubject_NamesTheOptionAndThePlaceholder()
    {
        var failure = Assert.Single(Invalid(o => o.Templates.Subject = "{host} is offline").Failures);

        Assert.Contains("Templates:Subject", failure, StringComparison.Ordinal);
        Assert.Contains("unknown placeholder '{host}'", failure, StringComparison.Ordinal);
        Assert.Contains("{thing}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_UnbalancedBraceInMessage_NamesTheOption()
    {
        var failure = Assert.Single(Invalid(o => o.Templates.Message = "{thing is offline").Failures);

        Assert.Contains("Templates:Message", failure, StringComparison.Ordinal);
        Assert.Contains("unclosed '{'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Value_EmptyTemplate_IsRequired(string template)
    {
        var failure = Assert.Single(Invalid(o => o.Templates.Message = template).Failures);

        Assert.StartsWith("Property Templates:Message: is required", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1025)]
    public void Value_MaxConcurrentRechecksOutOfRange_NamesIt(int value)
    {
        var failure = Assert.Single(Invalid(o => o.MaxConcurrentRechecks = value).Failures);

        Assert.StartsWith("MaxConcurrentRechecks:", failure, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1024", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_ZeroRetryDelay_NamesIt()
    {
        var failure = Assert.Single(Invalid(o => o.RetryDelay = TimeSpan.Zero).Failures);

        Assert.StartsWith("RetryDelay:", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(999L * TimeSpan.TicksPerMillisecond)]
    [InlineData(TimeSpan.TicksPerDay + 1)]
    public void Value_ClaimLeaseOutOfRange_NamesIt(long ticks)
    {
        var failure = Assert.Single(Invalid(o => o.ClaimLease = TimeSpan.FromTicks(ticks)).Failures);

        Assert.StartsWith("ClaimLease:", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_ClaimLeaseDefault_IsAMinute_AndASecondIsAllowed()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Resolve(_ => { }).ClaimLease);
        Assert.Equal(TimeSpan.FromSeconds(1), Resolve(o => o.ClaimLease = TimeSpan.FromSeconds(1)).ClaimLease);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(10L * TimeSpan.TicksPerMinute + 1)]
    public void Value_NotifyRetryDelayOutOfRange_NamesIt(long ticks)
    {
        var failure = Assert.Single(Invalid(o => o.NotifyRetryDelay = TimeSpan.FromTicks(ticks)).Failures);

        Assert.StartsWith("NotifyRetryDelay:", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_SeveralProblems_ReportsEach()
    {
        var exception = Invalid(o =>
        {
            o.GracePeriod = TimeSpan.Zero;
            o.TimeZone = "Nowhere/Town";
            o.MaxConcurrentRechecks = 0;
        });

        Assert.Equal(3, exception.Failures.Count());
        Assert.Contains("GracePeriod", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Nowhere/Town", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentRechecks", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidator_InvalidOptions_Throws()
    {
        // ValidateOnStart: a host runs the startup validator before anything resolves the options.
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(o => o.GracePeriod = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("GracePeriod", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGracefulDisconnect_ConfigurationSection_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GracefulDisconnect:GracePeriod"] = "00:02:00",
                ["GracefulDisconnect:GracePeriodOverrides:cellular-7"] = "00:30:00",
                ["GracefulDisconnect:TimeZone"] = "Asia/Tokyo",
                ["GracefulDisconnect:Culture"] = "ja-JP",
                ["GracefulDisconnect:TimestampFormat"] = "HH:mm",
                ["GracefulDisconnect:Templates:Subject"] = "{thing} down",
                ["GracefulDisconnect:Templates:Message"] = "{thing} since {offlineSince}",
                ["GracefulDisconnect:MaxConcurrentRechecks"] = "4",
                ["GracefulDisconnect:RetryDelay"] = "00:00:10",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configuration.GetSection(GracefulDisconnectOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(2), options.GracePeriod);
        Assert.Equal(TimeSpan.FromMinutes(30), options.GracePeriodFor("cellular-7"));
        Assert.Equal(TimeSpan.FromMinutes(2), options.GracePeriodFor("t1"));
        Assert.Equal("Asia/Tokyo", options.TimeZone);
        Assert.Equal("ja-JP", options.Culture);
        Assert.Equal("HH:mm", options.TimestampFormat);
        Assert.Equal("{thing} down", options.Templates.Subject);
        Assert.Equal("{thing} since {offlineSince}", options.Templates.Message);
        Assert.Equal(4, options.MaxConcurrentRechecks);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RetryDelay);
    }

    [Fact]
    public void AddGracefulDisconnect_InvalidConfigurationSection_FailsValidation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GracePeriod"] = "45.00:00:00",
                ["GracePeriodOverrides:cellular-7"] = "00:00:00",
                ["TimeZone"] = "Atlantis/Capital",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configuration);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value);

        Assert.Equal(3, exception.Failures.Count());
        Assert.Contains("GracePeriodOverrides[cellular-7]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Atlantis/Capital", exception.Message, StringComparison.Ordinal);
    }
}
