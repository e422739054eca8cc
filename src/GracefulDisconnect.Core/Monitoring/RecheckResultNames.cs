namespace GracefulDisconnect;

/// <summary>The stable names of verdicts and re-check results used in JSON output and metrics.</summary>
public static class RecheckResultNames
{
    /// <summary>The report name of a re-check result, for example <c>skip-reconnected</c>.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The name.</returns>
    public static string ToReportName(this RecheckResult result) => result switch
    {
        RecheckResult.Notified => "notify",
        RecheckResult.SkippedReconnected => "skip-reconnected",
        RecheckResult.SkippedSuperseded => "skip-superseded",
        RecheckResult.SkippedUnknownThing => "skip-unknown",
        RecheckResult.SkippedDuplicate => "skip-duplicate",
        RecheckResult.NotYetDue => "not-yet-due",
        RecheckResult.Failed => "failed",
        RecheckResult.Reminded => "reminder",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    /// <summary>The report name of a verdict, for example <c>notify</c> or <c>skip-unknown</c>.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The name.</returns>
    public static string ToReportName(this Verdict verdict) => ToRecheckResult(verdict).ToReportName();

    /// <summary>The re-check result a verdict leads to when nothing else intervenes.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>The result.</returns>
    public static RecheckResult ToRecheckResult(this Verdict verdict) => verdict switch
    {
        Verdict.Notify => RecheckResult.Notified,
        Verdict.SkipReconnected => RecheckResult.SkippedReconnected,
        Verdict.SkipSuperseded => RecheckResult.SkippedSuperseded,
        Verdict.SkipUnknownThing => RecheckResult.SkippedUnknownThing,
        Verdict.NotYetDue => RecheckResult.NotYetDue,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
