using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GracefulDisconnect.Tests.Alerts;

public class AlertOptionsTests
{
    private static GracefulDisconnectOptions Resolve(Action<GracefulDisconnectOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;
    }

    private static string SingleFailure(Action<GracefulDisconnectOptions> configure)
        => Assert.Single(Assert.Throws<OptionsValidationException>(() => Resolve(configure)).Failures);

    [Fact]
    public void Defaults_EveryAlertIsOff()
    {
        var options = Resolve(_ => { });

        Assert.False(options.Alerts.NotifyRecovery);
        Assert.Null(options.Alerts.ReminderInterval);
        Assert.Null(options.Alerts.MaxReminders);
        Assert.Null(options.Alerts.Flapping);
        Assert.Null(options.Alerts.FlappingFor("t1"));
        Assert.Null(options.Alerts.Digest);
        Assert.Same(DigestGroups.All, options.Alerts.DigestGroup);
        Assert.Equal(20, options.Alerts.DigestListedThings);
    }

    [Fact]
    public void Value_AllAlertsOnAndValid_AreKept()
    {
        var options = Resolve(o =>
        {
            o.Alerts.NotifyRecovery = true;
            o.Alerts.ReminderInterval = TimeSpan.FromMinutes(1);
            o.Alerts.MaxReminders = 1000;
            o.Alerts.Flapping = new FlapThreshold(6, TimeSpan.FromHours(1));
            o.Alerts.FlappingOverrides["noisy"] = new FlapThreshold(20, TimeSpan.FromHours(1));
            o.Alerts.Digest = new DigestThreshold(TimeSpan.FromSeconds(30), 10);
            o.Alerts.DigestGroup = DigestGroups.NamePrefix();
            o.Alerts.DigestListedThings = 1;
        });

        Assert.Equal(new FlapThreshold(20, TimeSpan.FromHours(1)), options.Alerts.FlappingFor("noisy"));
        Assert.Equal(new FlapThreshold(6, TimeSpan.FromHours(1)), options.Alerts.FlappingFor("quiet"));
    }

    [Fact]
    public void FlappingFor_OverrideWithoutDefault_WatchesOnlyThatThing()
    {
        var options = new GracefulDisconnectOptions();
        options.Alerts.FlappingOverrides["noisy"] = new FlapThreshold(3, TimeSpan.FromMinutes(10));

        Assert.NotNull(options.Alerts.FlappingFor("noisy"));
        Assert.Null(options.Alerts.FlappingFor("other"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(31 * 86_400)]
    public void Value_StableForOutOfRange_NamesIt(long seconds)
    {
        var failure = SingleFailure(o => o.Alerts.StableFor = TimeSpan.FromSeconds(seconds));

        Assert.Contains("Property Alerts:StableFor:", failure, StringComparison.Ordinal);
        Assert.Contains("between 00:00:01 and 30.00:00:00", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(59L, "Alerts:ReminderInterval")]
    [InlineData(30L * 24 * 3600 + 1, "Alerts:ReminderInterval")]
    public void Value_ReminderIntervalOutOfRange_NamesIt(long seconds, string option)
    {
        var failure = SingleFailure(o => o.Alerts.ReminderInterval = TimeSpan.FromSeconds(seconds));

        Assert.Contains($"Property {option}:", failure, StringComparison.Ordinal);
        Assert.Contains("between 00:01:00 and 30.00:00:00", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Value_MaxRemindersOutOfRange_NamesIt(int max)
    {
        var failure = SingleFailure(o =>
        {
            o.Alerts.ReminderInterval = TimeSpan.FromHours(1);
            o.Alerts.MaxReminders = max;
        });

        Assert.Contains("Property Alerts:MaxReminders:", failure, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1000", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_MaxRemindersWithoutInterval_SaysItNeedsOne()
    {
        var failure = SingleFailure(o => o.Alerts.MaxReminders = 3);

        Assert.Contains("Property Alerts:MaxReminders:", failure, StringComparison.Ordinal);
        Assert.Contains("needs Alerts:ReminderInterval", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_BadThresholds_NameTheOptionAndTheThing()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            o.Alerts.Flapping = new FlapThreshold(1, TimeSpan.FromHours(1));
            o.Alerts.FlappingOverrides["noisy"] = new FlapThreshold(6, TimeSpan.Zero);
            o.Alerts.Digest = new DigestThreshold(TimeSpan.FromHours(2), 10);
            o.Alerts.DigestListedThings = 0;
        }));

        var failures = exception.Failures.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("Property Alerts:Flapping:", StringComparison.Ordinal) && f.Contains("2 to 10000 disconnects", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Property Alerts:FlappingOverrides[noisy]:", StringComparison.Ordinal) && f.Contains("1s to 30d", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Property Alerts:Digest:", StringComparison.Ordinal) && f.Contains("1s to 1h", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Property Alerts:DigestListedThings:", StringComparison.Ordinal));
    }

    [Fact]
    public void Value_NullDigestGroup_IsRefused()
    {
        Assert.Contains("Property Alerts:DigestGroup:", SingleFailure(o => o.Alerts.DigestGroup = null!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReminderMessage", "{thing} {recoveredAt}", "{recoveredAt}")]
    [InlineData("RecoveredSubject", "{thing} {reminder}", "{reminder}")]
    [InlineData("FlappingMessage", "{thing} {offlineFor}", "{offlineFor}")]
    [InlineData("DigestSubject", "{thing}", "{thing}")]
    [InlineData("DigestMoreThings", "+{count}", "{count}")]
    public void Value_TemplateWithPlaceholderOfAnotherKind_NamesTheTemplateAndThePlaceholder(string option, string template, string placeholder)
    {
        var failure = SingleFailure(o => typeof(NotificationTemplates).GetProperty(option)!.SetValue(o.Templates, template));

        Assert.Contains($"Property Templates:{option}:", failure, StringComparison.Ordinal);
        Assert.Contains($"unknown placeholder '{placeholder}'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_EmptyKindTemplate_IsRefused()
    {
        var failure = SingleFailure(o => o.Templates.RecoveredMessage = " ");

        Assert.Contains("Property Templates:RecoveredMessage:", failure, StringComparison.Ordinal);
        Assert.Contains("must not be empty", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGracefulDisconnect_ConfigurationSection_BindsAlertOptionsFromText()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GracefulDisconnect:Alerts:NotifyRecovery"] = "true",
                ["GracefulDisconnect:Alerts:ReminderInterval"] = "01:00:00",
                ["GracefulDisconnect:Alerts:MaxReminders"] = "3",
                ["GracefulDisconnect:Alerts:Flapping"] = "6/1h",
                ["GracefulDisconnect:Alerts:FlappingOverrides:noisy"] = " 20/00:30:00 ",
                ["GracefulDisconnect:Alerts:Digest"] = "30s/10",
                ["GracefulDisconnect:Alerts:DigestListedThings"] = "5",
                ["GracefulDisconnect:Templates:ReminderSubject"] = "{thing} still down ({reminder})",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configuration.GetSection(GracefulDisconnectOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;

        Assert.True(options.Alerts.NotifyRecovery);
        Assert.Equal(TimeSpan.FromHours(1), options.Alerts.ReminderInterval);
        Assert.Equal(3, options.Alerts.MaxReminders);
        Assert.Equal(new FlapThreshold(6, TimeSpan.FromHours(1)), options.Alerts.Flapping);
        Assert.Equal(new FlapThreshold(20, TimeSpan.FromMinutes(30)), options.Alerts.FlappingFor("noisy"));
        Assert.Equal(new DigestThreshold(TimeSpan.FromSeconds(30), 10), options.Alerts.Digest);
        Assert.Equal(5, options.Alerts.DigestListedThings);
        Assert.Equal("{thing} still down ({reminder})", options.Templates.ReminderSubject);
        Assert.Same(DigestGroups.All, options.Alerts.DigestGroup);
    }

    [Fact]
    public void AddGracefulDisconnect_MalformedThresholdText_FailsWithTheExpectedForm()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Alerts:Flapping"] = "six per hour" })
            .Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configuration);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value);

        Assert.Contains("'Alerts:Flapping'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("6/1h", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TypeConverters_RoundTripTheText()
    {
        var flap = TypeDescriptor.GetConverter(typeof(FlapThreshold));
        var digest = TypeDescriptor.GetConverter(typeof(DigestThreshold));

        Assert.Equal(new FlapThreshold(6, TimeSpan.FromHours(1)), flap.ConvertFromInvariantString("6/1h"));
        Assert.Equal("6/01:00:00", flap.ConvertToInvariantString(new FlapThreshold(6, TimeSpan.FromHours(1))));
        Assert.Equal(new DigestThreshold(TimeSpan.FromSeconds(30), 10), digest.ConvertFromInvariantString("30s/10"));
        Assert.Equal("00:00:30/10", digest.ConvertToInvariantString(new DigestThreshold(TimeSpan.FromSeconds(30), 10)));
        Assert.Throws<FormatException>(() => digest.ConvertFromInvariantString("10/30s"));
    }
}
