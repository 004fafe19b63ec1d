namespace Jobs.Rating.Cdrs;

/// <summary>
/// Running counts of a re-rate and the issues met so far; becomes a <see cref="CdrSummary"/>. Charges are added in
/// units of the timeline's largest precision, so revisions of different precisions add exactly.
/// </summary>
internal sealed class CdrTally(CardTimeline timeline, CdrRunOptions options)
{
    private readonly int _precision = timeline.Precision;
    private readonly List<CdrIssue> _issues = [];
    private long _answered;
    private long _rated;
    private long _unmatched;
    private long _blocked;
    private long _skipped;
    private long _bad;
    private long _billedSeconds;
    private long _chargeUnits;

    public long Records { get; private set; }

    /// <summary>Counts one record; returns whether it is an issue to <see cref="Report"/>.</summary>
    public bool Count(in CdrRowOutcome row)
    {
        Records++;
        _answered += row.Answered ? 1 : 0;
        switch (row.Status)
        {
            case CdrStatus.Rated:
                _rated++;
                _billedSeconds += row.Rating.BilledSeconds;
                _chargeUnits = checked(_chargeUnits + Scaled(row.Rating.ChargeUnits, row.Card));
                return false;
            case CdrStatus.Skipped:
                _skipped++;
                return false;
            case CdrStatus.Unmatched:
                _unmatched++;
                break;
            case CdrStatus.Blocked:
                _blocked++;
                break;
            default:
                _bad++;
                break;
        }

        // Issues are described (which allocates) only while someone still wants them.
        return _issues.Count < options.IssueLimit || options.OnIssue is not null;
    }

    private long Scaled(long units, int card)
    {
        var shift = _precision - timeline.PrecisionAt(card);
        return shift == 0 ? units : checked(units * ExactDecimal.Pow10(shift));
    }

    public CdrSummary Summary() => new()
    {
        Records = Records,
        Answered = _answered,
        Rated = _rated,
        Unmatched = _unmatched,
        Blocked = _blocked,
        Skipped = _skipped,
        Bad = _bad,
        BilledSeconds = _billedSeconds,
        TotalCharge = ExactDecimal.FromUnits(_chargeUnits, _precision),
        Precision = _precision,
        Issues = _issues,
    };

    /// <summary>Keeps and passes on an issue that <see cref="Count"/> asked for.</summary>
    public void Report(in CdrRowOutcome row, string destination)
    {
        var issue = new CdrIssue(row.Line, row.Status, destination, row.Reason);
        if (_issues.Count < options.IssueLimit)
        {
            _issues.Add(issue);
        }

        options.OnIssue?.Invoke(issue);
    }
}
