using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace GracefulDisconnect.Cli.Run.Http;

/// <summary>
/// The engine's <see cref="System.Diagnostics.Metrics"/> instruments (every meter whose name starts with
/// <c>GracefulDisconnect</c>) in the Prometheus text exposition format, for <c>/metrics</c>: counters as
/// <c>_total</c>, up-down counters as gauges, histograms with cumulative buckets. Names follow OpenTelemetry's
/// Prometheus mapping (dots to underscores, unit <c>s</c> as <c>_seconds</c>), so a later switch to OpenTelemetry's
/// exporter keeps the dashboards. Started before the host, so nothing recorded from the first event on is missed.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    // Seconds: from a fast decision to a notification held for a long storm window.
    private static readonly double[] DefaultBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(GracefulDisconnectMetrics.MeterName, StringComparison.Ordinal))
            {
                _series.TryAdd(instrument, new Series(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The exposition of everything recorded so far.</summary>
    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();

        // Several meters of one name (one per DI container) add up under one metric name.
        foreach (var group in _series.Values.GroupBy(series => series.Name).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            text.Append("# HELP ").Append(first.Name).Append(' ').Append(EscapeHelp(first.Instrument.Description ?? string.Empty)).Append('\n');
            text.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.Type).Append('\n');
            var merged = new Dictionary<string, Point>(StringComparer.Ordinal);
            foreach (var series in group)
            {
                series.MergeInto(merged);
            }

            foreach (var (labels, point) in merged.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                point.Write(text, first, labels);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string text) => EscapeHelp(text).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    private static string Number(double value) => double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Series
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, Point> _points = new(StringComparer.Ordinal);

        public Series(Instrument instrument)
        {
            Instrument = instrument;
            var kind = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
            IsHistogram = kind == typeof(Histogram<>);
            IsCounter = kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>);
            IsObservable = instrument.IsObservable;
            var unit = instrument.Unit switch
            {
                "s" => "_seconds",
                "ms" => "_milliseconds",
                "By" => "_bytes",
                _ => string.Empty,
            };
            var name = Sanitize(instrument.Name) + unit;
            Name = IsCounter ? name + "_total" : name;
            Type = IsHistogram ? "histogram" : IsCounter ? "counter" : "gauge";
            Buckets = DefaultBuckets;
        }

        public Instrument Instrument { get; }

        public string Name { get; }

        public string Type { get; }

        public bool IsHistogram { get; }

        public bool IsCounter { get; }

        public bool IsObservable { get; }

        public double[] Buckets { get; }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            lock (_lock)
            {
                if (!_points.TryGetValue(labels, out var point))
                {
                    _points[labels] = point = new Point(IsHistogram ? new long[Buckets.Length] : null);
                }

                if (IsHistogram)
                {
                    point.Count++;
                    point.Sum += value;
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        if (value <= Buckets[i])
                        {
                            point.Buckets![i]++;
                            break;
                        }
                    }
                }
                else if (IsObservable && !IsCounter)
                {
                    // An observable gauge reports its current value, not a delta.
                    point.Sum = value;
                }
                else
                {
                    point.Sum = IsObservable ? value : point.Sum + value;
                }
            }
        }

        public void MergeInto(Dictionary<string, Point> merged)
        {
            lock (_lock)
            {
                foreach (var (labels, point) in _points)
                {
                    if (!merged.TryGetValue(labels, out var into))
                    {
                        merged[labels] = into = new Point(point.Buckets is null ? null : new long[point.Buckets.Length]);
                    }

                    into.Count += point.Count;
                    into.Sum += point.Sum;
                    for (var i = 0; point.Buckets is not null && i < point.Buckets.Length; i++)
                    {
                        into.Buckets![i] += point.Buckets[i];
                    }
                }
            }
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return string.Empty;
            }

            var pairs = new List<string>(tags.Length);
            foreach (var (key, value) in tags)
            {
                pairs.Add($"{Sanitize(key)}=\"{EscapeLabel(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }
    }

    private sealed class Point(long[]? buckets)
    {
        public long[]? Buckets { get; } = buckets;

        public long Count { get; set; }

        public double Sum { get; set; }

        public void Write(StringBuilder text, Series series, string labels)
        {
            if (Buckets is null)
            {
                text.Append(series.Name).Append(Braces(labels)).Append(' ').Append(Number(Sum)).Append('\n');
                return;
            }

            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += Buckets[i];
                text.Append(series.Name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Number(series.Buckets[i])}\""))).Append(' ').Append(cumulative).Append('\n');
            }

            text.Append(series.Name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(Count).Append('\n');
            text.Append(series.Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(Sum)).Append('\n');
            text.Append(series.Name).Append("_count").Append(Braces(labels)).Append(' ').Append(Count).Append('\n');
        }

        private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

        private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";
    }
}
