using System.ComponentModel;
using System.Globalization;

namespace GracefulDisconnect;

/// <summary>
/// Lets configuration bind a threshold from its text (<c>"Flapping": "6/1h"</c>, <c>"Digest": "30s/10"</c>);
/// a wrong value fails binding with the parser's message, which names the expected form.
/// </summary>
/// <typeparam name="T">The threshold.</typeparam>
internal abstract class ThresholdConverter<T> : TypeConverter
    where T : struct
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType)
        => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType)
        => destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
        => value is string text ? Parse(text.Trim()) : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
        => destinationType == typeof(string) && value is T threshold ? threshold.ToString() : base.ConvertTo(context, culture, value, destinationType);

    protected abstract T Parse(string text);
}

/// <summary>Converts <see cref="FlapThreshold"/> from and to <c>6/1h</c>.</summary>
internal sealed class FlapThresholdConverter : ThresholdConverter<FlapThreshold>
{
    protected override FlapThreshold Parse(string text) => FlapThreshold.Parse(text);
}

/// <summary>Converts <see cref="DigestThreshold"/> from and to <c>30s/10</c>.</summary>
internal sealed class DigestThresholdConverter : ThresholdConverter<DigestThreshold>
{
    protected override DigestThreshold Parse(string text) => DigestThreshold.Parse(text);
}
