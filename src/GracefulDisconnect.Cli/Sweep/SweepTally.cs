using System.Globalization;

namespace GracefulDisconnect.Cli.Sweep;

/// <summary>What one sweep saw and did, for the summary line on standard error (standard output holds only the JSON lines).</summary>
internal sealed class SweepTally
{
    private readonly Dictionary<RecheckResult, int> _results = [];

    public int Seen { get; set; }

    public int WithinGrace { get; set; }

    public int Published { get; set; }

    public int Failed { get; set; }

    public void Count(RecheckResult result) => _results[result] = _results.GetValueOrDefault(result) + 1;

    public string Summary()
    {
        var results = string.Join(", ", _results.OrderBy(pair => pair.Key).Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Value} {pair.Key.ToReportName()}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"sweep: {Seen} things found, {WithinGrace} still within the grace, {_results.Values.Sum()} decided ({(results.Length == 0 ? "none" : results)}), {Published} published, {Failed} failed");
    }
}
