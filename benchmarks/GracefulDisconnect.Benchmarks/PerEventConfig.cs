using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GracefulDisconnect.Benchmarks;

/// <summary>Adds ns/event and events/s columns for benchmarks with an <c>Events</c> parameter.</summary>
internal sealed class PerEventConfig : ManualConfig
{
    public PerEventConfig()
    {
        AddColumn(new PerEventColumn(perSecond: false), new PerEventColumn(perSecond: true));
    }

    private sealed class PerEventColumn(bool perSecond) : IColumn
    {
        public string Id => perSecond ? "EventsPerSecond" : "NsPerEvent";

        public string ColumnName => perSecond ? "events/s" : "ns/event";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => perSecond ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => perSecond ? "Events replayed per second (Events / Mean)" : "Mean divided by the number of events";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            var events = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Events")?.Value;
            if (report?.ResultStatistics is not { } statistics || events is not int count || count == 0)
            {
                return "-";
            }

            var nsPerEvent = statistics.Mean / count;
            return perSecond
                ? (1e9 / nsPerEvent).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
                : nsPerEvent.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
