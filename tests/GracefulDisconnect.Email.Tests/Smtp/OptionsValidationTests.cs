using Xunit;

namespace GracefulDisconnect.Email.Tests.Smtp;

public sealed class OptionsValidationTests
{
    public static TheoryData<string, Action<SmtpNotifierOptions>, string, string> Invalid => new()
    {
        { "no host", o => o.Host = " ", "Host", "is required" },
        { "URL as host", o => o.Host = "smtp://smtp.example.com:587", "Host", "without scheme or port" },
        { "port 0", o => o.Port = 0, "Port", "between 1 and 65535" },
        { "plain text to a remote host", o => o.Security = SmtpSecurity.None, "Security", "set AllowUnencrypted = true" },
        { "STARTTLS on 465", o => o.Port = 465, "Security", "use SslOnConnect (or Auto) on 465" },
        { "implicit TLS on 587", o => o.Security = SmtpSecurity.SslOnConnect, "Security", "use StartTls on 587" },
        { "undefined security", o => o.Security = (SmtpSecurity)42, "Security", "is not one of Auto, None, StartTls, SslOnConnect" },
        { "user without password", o => o.UserName = "alerts", "Password", "is empty while UserName is set" },
        { "password without user", o => o.Password = "x", "UserName", "is empty while Password is set" },
        { "no sender", o => o.From = "", "From", "is required" },
        { "sender without domain", o => o.From = "alerts", "From", "has no domain" },
        { "sender not an address", o => o.From = "<<<", "From", "is not an e-mail address" },
        { "sender with a line break", o => o.From = "a@example.com\r\nBcc: x@evil.example", "From", "control character" },
        { "no recipient", o => o.To.Clear(), "To", "needs at least one recipient" },
        { "two recipients in one entry", o => o.To.Add("a@example.com, b@example.com"), "To[1]", "one address per entry" },
        { "bad copy recipient", o => o.Cc.Add("nobody"), "Cc[0]", "has no domain" },
        { "two-line prefix", o => o.SubjectPrefix = "[a]\n[b]", "SubjectPrefix", "must be one line" },
        { "timeout too short", o => o.Timeout = TimeSpan.FromMilliseconds(10), "Timeout", "must be between" },
        { "bad Message-ID domain", o => o.MessageIdDomain = "bad domain>", "MessageIdDomain", "is not a domain" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidOption_NamesTheKeyAndTheFix(string problem, Action<SmtpNotifierOptions> spoil, string key, string fix)
    {
        var options = Valid();
        spoil(options);

        var result = new SmtpNotifierOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, problem);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains(key, failure, StringComparison.Ordinal);
        Assert.Contains(fix, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost", false)]
    [InlineData("::1", false)]
    [InlineData("[::1]", false)]
    [InlineData("relay.internal", true)]
    public void Validate_PlainText_AllowedTowardsLoopbackOrWhenAllowed(string host, bool needsAllowance)
    {
        var options = Valid();
        (options.Host, options.Port, options.Security) = (host, 25, SmtpSecurity.None);
        var validator = new SmtpNotifierOptionsValidator();

        Assert.Equal(needsAllowance, validator.Validate(null, options).Failed);
        options.AllowUnencrypted = true;
        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(SmtpSecurity.Auto, 465, "smtp.example.com", false, MailKit.Security.SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.Auto, 587, "smtp.example.com", false, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.Auto, 25, "localhost", false, MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData(SmtpSecurity.Auto, 25, "relay.internal", true, MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData(SmtpSecurity.StartTls, 587, "localhost", true, MailKit.Security.SecureSocketOptions.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect, 465, "smtp.example.com", false, MailKit.Security.SecureSocketOptions.SslOnConnect)]
    [InlineData(SmtpSecurity.None, 25, "localhost", false, MailKit.Security.SecureSocketOptions.None)]
    public void SocketOptions_MapsSecurity_NeverFallingBackToPlainTextUnlessAllowed(SmtpSecurity security, int port, string host, bool allowUnencrypted, MailKit.Security.SecureSocketOptions expected)
    {
        var options = new SmtpNotifierOptions { Security = security, Port = port, Host = host, AllowUnencrypted = allowUnencrypted };

        Assert.Equal(expected, SmtpEndpoint.SocketOptions(options));
    }

    [Fact]
    public void Validate_TypicalProviders_Succeed()
    {
        var validator = new SmtpNotifierOptionsValidator();
        foreach (var (host, port, security) in new[]
        {
            ("smtp.gmail.com", 587, SmtpSecurity.StartTls),
            ("smtp.gmail.com", 465, SmtpSecurity.SslOnConnect),
            ("smtp.office365.com", 587, SmtpSecurity.StartTls),
            ("email-smtp.ap-northeast-1.amazonaws.com", 587, SmtpSecurity.Auto),
            ("email-smtp.ap-northeast-1.amazonaws.com", 465, SmtpSecurity.Auto),
        })
        {
            var options = Valid();
            (options.Host, options.Port, options.Security, options.UserName, options.Password) = (host, port, security, "user", "secret");
            var result = validator.Validate(null, options);
            Assert.True(result.Succeeded, $"{host}:{port} {security}: {result.FailureMessage}");
        }
    }

    private static SmtpNotifierOptions Valid()
    {
        var options = new SmtpNotifierOptions { Host = "smtp.example.com", From = "\"Fleet\" <alerts@example.com>" };
        options.To.Add("ops@example.com");
        return options;
    }
}
