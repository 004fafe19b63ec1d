using System.Text.Json;
using Jobs.Handlers;
using Jobs.JobTypes.Rating;
using Jobs.Rating;
using Jobs.Rating.Cards;

namespace Jobs.JobTypes.Card;

/// <summary>A card payload, read and checked: a deck to build from, or cards to combine.</summary>
/// <param name="Deck">The deck's settings, when the card is built from a deck.</param>
/// <param name="Combine">The source cards and rules, when it is built from other cards.</param>
internal sealed record CardRequest(CardTerms Terms, CardSettings? Deck, CombineRequest? Combine);

/// <summary>Which cards to combine and how (see <see cref="CardHandler"/>).</summary>
internal sealed record CombineRequest(IReadOnlyList<Guid> Cards, CombineStrategy Pick, IReadOnlyList<ProfitRule> Profits, int RateDecimals);

/// <summary>Reads a card payload, recording every problem at the path of its field.</summary>
internal static class CardPayloadReader
{
    public const int MaxNameLength = 200;
    public const int MaxSourceCards = 16;
    public const int MaxProfitRules = 10_000;

    private const int MaxHeaderNameLength = 200;

    private static readonly string[] CommonFields = ["name", "currency", "precision", "rounding"];
    private static readonly string[] DeckFields =
        [.. CommonFields, "fileId", "startRow", "columns", "prefixPrepend", "defaults", "strict"];

    private static readonly string[] CombineFields = [.. CommonFields, "from", "profit", "rateDecimals"];

    private static readonly string[] ColumnFields =
    [
        "prefix", "name", "rate", "connectionFee", "initialIncrement", "increment", "billing", "effectiveDate", "endDate",
        "blocked",
    ];

    private static readonly string[] Roundings = ["half-up", "half-down", "half-even", "up", "down"];
    private static readonly string[] Picks = ["cheapest", "dearest", "average"];
    private static readonly string[] ProfitKinds = ["absolute", "relative", "percent"];

    /// <summary>The request, or null when <paramref name="validation"/> received at least one problem.</summary>
    public static CardRequest? Read(JsonElement payload, PayloadValidation validation)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            validation.Add("", "must be a JSON object");
            return null;
        }

        var fields = new PayloadFields(payload, "", validation);
        var fromCards = fields.Has("from");
        if (fromCards && fields.Has("fileId"))
        {
            fields.Problem("from", "a card is built from a deck (fileId) or from other cards (from), not both");
            return null;
        }

        fields.RefuseUnknown(fromCards ? CombineFields : DeckFields, fromCards ? "a card payload built from cards" : "a card payload");
        var terms = ReadTerms(fields);
        var deck = fromCards ? null : ReadDeck(fields, terms);
        var combine = fromCards ? ReadCombine(fields) : null;
        return validation.IsValid && terms is not null ? new CardRequest(terms, deck, combine) : null;
    }

    private static CardTerms? ReadTerms(PayloadFields fields)
    {
        var name = fields.String("name", MaxNameLength, required: true);
        var currency = fields.String("currency", 3, required: true);
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            fields.Problem("currency", "must be a three-letter ISO 4217 code in capitals, such as USD");
        }

        var precision = fields.Integer("precision", 0, CardTerms.MaxPrecision) ?? CardTerms.DefaultPrecision;
        var rounding = fields.Choice("rounding", Roundings) is { } text ? RoundingNames.Parse(text)!.Value : RoundingMode.HalfUp;
        return name is null || currency is null ? null : new CardTerms(name, currency, (int)precision, rounding);
    }

    private static CardSettings? ReadDeck(PayloadFields fields, CardTerms? terms)
    {
        var fileId = fields.Id("fileId");
        if (!fields.Has("fileId"))
        {
            fields.Problem("fileId", "is required: the deck's file id, unless the card is built from other cards (from)");
        }

        var startRow = fields.Integer("startRow", 1, 1_000_000) ?? 1;
        var prepend = fields.String("prefixPrepend", 14);
        if (prepend is not null && !prepend.All(char.IsAsciiDigit))
        {
            fields.Problem("prefixPrepend", "must be digits, such as 1 for a deck keyed by NPANXX");
        }

        var columns = ReadColumns(fields.Object("columns", required: true));
        var defaults = ReadDefaults(fields.Object("defaults"));
        var strict = fields.Boolean("strict") ?? false;
        if (terms is null || columns is null || defaults is null || !fields.Validation.IsValid)
        {
            return null;
        }

        return new CardSettings
        {
            FileId = fileId,
            Name = terms.Name,
            Currency = terms.Currency,
            StartRow = (int)startRow,
            Columns = columns,
            PrefixPrepend = prepend,
            Defaults = defaults,
            Precision = terms.Precision,
            Rounding = terms.Rounding,
            Strict = strict,
        };
    }

    private static CardColumns? ReadColumns(PayloadFields? columns)
    {
        if (columns is null)
        {
            return null;
        }

        columns.RefuseUnknown(ColumnFields, "columns");
        return new CardColumns
        {
            Prefix = columns.String("prefix", MaxHeaderNameLength, required: true),
            Rate = columns.String("rate", MaxHeaderNameLength, required: true),
            Name = columns.String("name", MaxHeaderNameLength),
            ConnectionFee = columns.String("connectionFee", MaxHeaderNameLength),
            InitialIncrement = columns.String("initialIncrement", MaxHeaderNameLength),
            Increment = columns.String("increment", MaxHeaderNameLength),
            Billing = columns.String("billing", MaxHeaderNameLength),
            EffectiveDate = columns.String("effectiveDate", MaxHeaderNameLength),
            EndDate = columns.String("endDate", MaxHeaderNameLength),
            Blocked = columns.String("blocked", MaxHeaderNameLength),
        };
    }

    private static CardDefaults? ReadDefaults(PayloadFields? defaults)
    {
        if (defaults is null)
        {
            return new CardDefaults();
        }

        defaults.RefuseUnknown(["initialIncrement", "increment", "connectionFee"], "defaults");
        var fee = defaults.Decimal("connectionFee", 0, RateCard.MaxAmount);
        if (fee is { } amount && decimal.Round(amount, RateCard.MaxAmountDecimals) != amount)
        {
            defaults.Problem("connectionFee", $"must have at most {RateCard.MaxAmountDecimals} decimal places");
        }

        return new CardDefaults
        {
            InitialIncrement = (int?)defaults.Integer("initialIncrement", 1, 3600),
            Increment = (int?)defaults.Integer("increment", 1, 3600),
            ConnectionFee = fee,
        };
    }

    private static CombineRequest? ReadCombine(PayloadFields fields)
    {
        var from = fields.Object("from", required: true);
        from?.RefuseUnknown(["cards", "pick"], "from");
        var cards = from is null ? null : ReadCardIds(from);
        var pick = from?.Choice("pick", Picks) switch
        {
            "dearest" => CombineStrategy.Dearest,
            "average" => CombineStrategy.Average,
            _ => CombineStrategy.Cheapest,
        };
        var profits = ReadProfits(fields);
        var decimals = fields.Integer("rateDecimals", 0, RateCard.MaxAmountDecimals) ?? 6;
        return cards is null || profits is null || !fields.Validation.IsValid
            ? null
            : new CombineRequest(cards, pick, profits, (int)decimals);
    }

    private static List<Guid>? ReadCardIds(PayloadFields from)
    {
        if (from.Array("cards", 1, MaxSourceCards, required: true) is not { } items)
        {
            return null;
        }

        var ids = new List<Guid>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.String || !Guid.TryParse(items[i].GetString(), out var id))
            {
                from.Problem($"cards[{i}]", "must be a card id (a UUID string)");
            }
            else if (ids.Contains(id))
            {
                from.Problem($"cards[{i}]", "names the same card twice");
            }
            else
            {
                ids.Add(id);
            }
        }

        return ids.Count == items.Count ? ids : null;
    }

    private static List<ProfitRule>? ReadProfits(PayloadFields fields)
    {
        var items = fields.Array("profit", 0, MaxProfitRules) ?? [];
        var rules = new List<ProfitRule>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                fields.Problem($"profit[{i}]", "must be an object with pattern, kind and value");
                continue;
            }

            var rule = new PayloadFields(items[i], fields.PathOf($"profit[{i}]"), fields.Validation);
            rule.RefuseUnknown(["pattern", "kind", "value"], "a profit rule");
            var pattern = rule.String("pattern", 16, required: true);
            if (pattern is not null && !IsGlob(pattern))
            {
                rule.Problem("pattern", "must be digits with an optional trailing '*' (44*, 4420) or '*' alone");
            }

            var kind = rule.Choice("kind", ProfitKinds, required: true) switch
            {
                "relative" => ProfitKind.Multiplier,
                "percent" => ProfitKind.Percent,
                _ => ProfitKind.Absolute,
            };
            var value = rule.Decimal("value", 0, RateCard.MaxAmount, required: true);
            if (pattern is not null && value is { } amount)
            {
                rules.Add(new ProfitRule(pattern, kind, amount));
            }
        }

        return fields.Validation.IsValid ? rules : null;
    }

    private static bool IsGlob(string pattern)
    {
        var digits = pattern.EndsWith('*') ? pattern[..^1] : pattern;
        return digits.All(char.IsAsciiDigit) && (digits.Length > 0 || pattern == "*");
    }
}
