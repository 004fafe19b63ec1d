namespace Jobs.Rating.Cards;

/// <summary>A deck row that did not make it onto the card.</summary>
/// <param name="Line">1-based line of the deck where the row starts.</param>
/// <param name="Column">The deck's header name of the offending column, when one is to blame.</param>
/// <param name="Reason">Why, in words an operator can act on.</param>
public sealed record RejectedRow(long Line, string? Column, string Reason)
{
    /// <inheritdoc />
    public override string ToString() =>
        Column is null ? $"line {Line}: {Reason}" : $"line {Line}, column {Column}: {Reason}";
}
