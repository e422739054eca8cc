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

        Assert.False(options.NotifyRecovery);
        Assert.Null(options.ReminderInterval);
        Assert.Null(options.MaxReminders);
        Assert.Null(options.Flapping);
        Assert.Null(options.FlappingFor("t1"));
        Assert.Null(options.Digest);
        Assert.Same(DigestGroups.All, options.DigestGroup);
        Assert.Equal(20, options.DigestListedThings);
    }

    [Fact]
    public void Value_AllAlertsOnAndValid_AreKept()
    {
        var options = Resolve(o =>
        {
            o.NotifyRecovery = true;
            o.ReminderInterval = TimeSpan.FromMinutes(1);
            o.MaxReminders = 1000;
            o.Flapping = new FlapThreshold(6, TimeSpan.FromHours(1));
            o.FlappingOverrides["noisy"] = new FlapThreshold(20, TimeSpan.FromHours(1));
            o.Digest = new DigestThreshold(TimeSpan.FromSeconds(30), 10);
            o.DigestGroup = DigestGroups.NamePrefix();
            o.DigestListedThings = 1;
        });

        Assert.Equal(new FlapThreshold(20, TimeSpan.FromHours(1)), options.FlappingFor("noisy"));
        Assert.Equal(new FlapThreshold(6, TimeSpan.FromHours(1)), options.FlappingFor("quiet"));
    }

    [Fact]
    public void FlappingFor_OverrideWithoutDefault_WatchesOnlyThatThing()
    {
        var options = new GracefulDisconnectOptions();
        options.FlappingOverrides["noisy"] = new FlapThreshold(3, TimeSpan.FromMinutes(10));

        Assert.NotNull(options.FlappingFor("noisy"));
        Assert.Null(options.FlappingFor("other"));
    }

    [Theory]
    [InlineData(59L, "ReminderInterval")]
    [InlineData(30L * 24 * 3600 + 1, "ReminderInterval")]
    public void Value_ReminderIntervalOutOfRange_NamesIt(long seconds, string option)
    {
        var failure = SingleFailure(o => o.ReminderInterval = TimeSpan.FromSeconds(seconds));

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
            o.ReminderInterval = TimeSpan.FromHours(1);
            o.MaxReminders = max;
        });

        Assert.Contains("Property MaxReminders:", failure, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1000", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_MaxRemindersWithoutInterval_SaysItNeedsOne()
    {
        var failure = SingleFailure(o => o.MaxReminders = 3);

        Assert.Contains("Property MaxReminders:", failure, StringComparison.Ordinal);
        Assert.Contains("ReminderInterval", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_BadThresholds_NameTheOptionAndTheThing()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            o.Flapping = new FlapThreshold(1, TimeSpan.FromHours(1));
            o.FlappingOverrides["noisy"] = new FlapThreshold(6, TimeSpan.Zero);
            o.Digest = new DigestThreshold(TimeSpan.FromHours(2), 10);
            o.DigestListedThings = 0;
        }));

        var failures = exception.Failures.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("Property Flapping:", StringComparison.Ordinal) && f.Contains("2 to 10000 disconnects", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Property FlappingOverrides[noisy]:", StringComparison.Ordinal) && f.Contains("1s to 30d", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Property Digest:", StringComparison.Ordinal) && f.Contains("1s to 1h", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Property DigestListedThings:", StringComparison.Ordinal));
    }

    [Fact]
    public void Value_NullDigestGroup_IsRefused()
    {
        Assert.Contains("Property DigestGroup:", SingleFailure(o => o.DigestGroup = null!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReminderMessageTemplate", "{thing} {recoveredAt}", "{recoveredAt}")]
    [InlineData("RecoveredSubjectTemplate", "{thing} {reminder}", "{reminder}")]
    [InlineData("FlappingMessageTemplate", "{thing} {offlineFor}", "{offlineFor}")]
    [InlineData("DigestSubjectTemplate", "{thing}", "{thing}")]
    [InlineData("DigestMoreThingsTemplate", "+{count}", "{count}")]
    public void Value_TemplateWithPlaceholderOfAnotherKind_NamesTheTemplateAndThePlaceholder(string option, string template, string placeholder)
    {
        var failure = SingleFailure(o => typeof(GracefulDisconnectOptions).GetProperty(option)!.SetValue(o, template));

        Assert.Contains($"Property {option}:", failure, StringComparison.Ordinal);
        Assert.Contains($"unknown placeholder '{placeholder}'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_EmptyKindTemplate_IsRefused()
    {
        var failure = SingleFailure(o => o.RecoveredMessageTemplate = " ");

        Assert.Contains("Property RecoveredMessageTemplate:", failure, StringComparison.Ordinal);
        Assert.Contains("must not be empty", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGracefulDisconnect_ConfigurationSection_BindsAlertOptionsFromText()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GracefulDisconnect:NotifyRecovery"] = "true",
                ["GracefulDisconnect:ReminderInterval"] = "01:00:00",
                ["GracefulDisconnect:MaxReminders"] = "3",
                ["GracefulDisconnect:Flapping"] = "6/1h",
                ["GracefulDisconnect:FlappingOverrides:noisy"] = " 20/00:30:00 ",
                ["GracefulDisconnect:Digest"] = "30s/10",
                ["GracefulDisconnect:DigestListedThings"] = "5",
                ["GracefulDisconnect:ReminderSubjectTemplate"] = "{thing} still down ({reminder})",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configuration.GetSection(GracefulDisconnectOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value;

        Assert.True(options.NotifyRecovery);
        Assert.Equal(TimeSpan.FromHours(1), options.ReminderInterval);
        Assert.Equal(3, options.MaxReminders);
        Assert.Equal(new FlapThreshold(6, TimeSpan.FromHours(1)), options.Flapping);
        Assert.Equal(new FlapThreshold(20, TimeSpan.FromMinutes(30)), options.FlappingFor("noisy"));
        Assert.Equal(new DigestThreshold(TimeSpan.FromSeconds(30), 10), options.Digest);
        Assert.Equal(5, options.DigestListedThings);
        Assert.Equal("{thing} still down ({reminder})", options.ReminderSubjectTemplate);
        Assert.Same(DigestGroups.All, options.DigestGroup);
    }

    [Fact]
    public void AddGracefulDisconnect_MalformedThresholdText_FailsWithTheExpectedForm()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Flapping"] = "six per hour" })
            .Build();
        var services = new ServiceCollection();
        services.AddGracefulDisconnect(configuration);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<GracefulDisconnectOptions>>().Value);

        Assert.Contains("Flapping", exception.Message, StringComparison.Ordinal);
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
