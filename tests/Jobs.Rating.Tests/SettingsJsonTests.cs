using System.Text.Json;
using Jobs.Rating.Cards;
using Jobs.Rating.Cdrs;

namespace Jobs.Rating.Tests;

public sealed class SettingsJsonTests
{
    [Fact]
    public void Deserialize_WhenCardPayloadAsOtherProgramsSendIt_ReadsEveryField()
    {
        const string Payload = """
            {"fileId": "7d0c3f2a-1b2c-4d5e-8f90-123456789abc", "name": "Carrier X", "currency": "USD", "startRow": 3,
             "columns": {"prefix": "Code", "name": "Destination", "rate": "Rate", "connectionFee": "Setup",
                         "initialIncrement": "Min", "increment": "Step", "billing": "Billing",
                         "effectiveDate": "From", "endDate": "To", "blocked": "Blocked"},
             "prefixPrepend": "1", "defaults": {"initialIncrement": 30, "increment": 6, "connectionFee": 0.01},
             "precision": 5, "rounding": "half-even", "strict": true}
            """;

        var settings = JsonSerializer.Deserialize<CardSettings>(Payload)!;

        Assert.Equal(Guid.Parse("7d0c3f2a-1b2c-4d5e-8f90-123456789abc"), settings.FileId);
        Assert.Equal(("Carrier X", "USD", 3, "1"), (settings.Name, settings.Currency, settings.StartRow, settings.PrefixPrepend));
        Assert.Equal(
            new CardColumns
            {
                Prefix = "Code", Name = "Destination", Rate = "Rate", ConnectionFee = "Setup", InitialIncrement = "Min",
                Increment = "Step", Billing = "Billing", EffectiveDate = "From", EndDate = "To", Blocked = "Blocked",
            },
            settings.Columns);
        Assert.Equal(new CardDefaults { InitialIncrement = 30, Increment = 6, ConnectionFee = 0.01m }, settings.Defaults);
        Assert.Equal((5, RoundingMode.HalfEven, true), (settings.Precision, settings.Rounding, settings.Strict));
    }

    [Fact]
    public void Deserialize_WhenOptionalFieldsAbsent_UsesDefaults()
    {
        var settings = JsonSerializer.Deserialize<CardSettings>("""{"columns": {"prefix": "NPANXX", "rate": "Rate"}}""")!;

        Assert.Equal((1, 4, RoundingMode.HalfUp, false), (settings.StartRow, settings.Precision, settings.Rounding, settings.Strict));
    }

    [Theory]
    [InlineData("\"up\"", RoundingMode.Up)]
    [InlineData("\"down\"", RoundingMode.Down)]
    [InlineData("\"half-up\"", RoundingMode.HalfUp)]
    [InlineData("\"half-down\"", RoundingMode.HalfDown)]
    [InlineData("\"half-even\"", RoundingMode.HalfEven)]
    public void Deserialize_WhenRoundingNamed_ReadsMode(string json, RoundingMode expected)
    {
        Assert.Equal(expected, JsonSerializer.Deserialize<RoundingMode>(json));
    }

    [Fact]
    public void Deserialize_WhenRoundingUnknown_Throws()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RoundingMode>("\"nearest\""));
    }

    [Fact]
    public void Deserialize_WhenCdrPayload_ReadsColumnsAndPlan()
    {
        const string Payload = """
            {"format": "csv", "columns": {"destination": "dst", "billedSeconds": "billsec", "disposition": "disposition",
             "start": "calldate", "callId": "uniqueid"}, "numberPlan": {"countryCode": "44", "trunkPrefix": "0"}}
            """;

        var settings = JsonSerializer.Deserialize<CdrSettings>(Payload)!;

        Assert.Equal(CdrFormat.Csv, settings.Format);
        var (columns, plan) = (settings.Columns!, settings.NumberPlan);
        Assert.Equal(("dst", "billsec", "uniqueid"), (columns.Destination, columns.BilledSeconds, columns.CallId));
        Assert.Equal(("44", "0", 10), (plan.CountryCode, plan.TrunkPrefix, plan.NationalNumberLength));
    }
}
