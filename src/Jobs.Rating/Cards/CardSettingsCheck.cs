namespace Jobs.Rating.Cards;

/// <summary>Validates card settings, naming the setting that is wrong.</summary>
internal static class CardSettingsCheck
{
    /// <summary>The first problem with <paramref name="settings"/>, or null.</summary>
    public static string? Problem(CardSettings settings)
    {
        if (settings.StartRow < 1)
        {
            return $"startRow {settings.StartRow} must be 1 or more";
        }

        if (settings.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            return $"currency '{settings.Currency}' must be a three-letter ISO 4217 code";
        }

        if (settings.Precision is < 0 or > CardTerms.MaxPrecision)
        {
            return $"precision {settings.Precision} must be 0 to {CardTerms.MaxPrecision}";
        }

        if (!Enum.IsDefined(settings.Rounding))
        {
            return $"rounding {settings.Rounding} is not one of up, down, half-up, half-down, half-even";
        }

        if (settings.PrefixPrepend is { } prepend && !prepend.Trim().All(char.IsAsciiDigit))
        {
            return $"prefixPrepend '{prepend}' must be digits";
        }

        return DefaultsProblem(settings.Defaults);
    }

    private static string? DefaultsProblem(CardDefaults defaults)
    {
        if (defaults.InitialIncrement is < 1 or > DeckCells.MaxIncrement)
        {
            return $"defaults.initialIncrement {defaults.InitialIncrement} must be 1 to {DeckCells.MaxIncrement}";
        }

        if (defaults.Increment is < 1 or > DeckCells.MaxIncrement)
        {
            return $"defaults.increment {defaults.Increment} must be 1 to {DeckCells.MaxIncrement}";
        }

        var fee = defaults.ConnectionFee?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fee is not null && DeckCells.ParseAmount(fee, out _) is { } problem)
        {
            return $"defaults.connectionFee: {problem}";
        }

        return null;
    }
}
