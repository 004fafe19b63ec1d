namespace Jobs.Rating;

/// <summary>How far a read of a deck or of call records has got.</summary>
/// <param name="RowsRead">Records read so far (data rows; the header and blank lines are not counted).</param>
/// <param name="BytesRead">Bytes of input consumed so far, from the start of the part being read.</param>
/// <param name="TotalBytes">Bytes the read will consume in all, when known (a seekable stream or a partition).</param>
public readonly record struct ReadProgress(long RowsRead, long BytesRead, long? TotalBytes);
