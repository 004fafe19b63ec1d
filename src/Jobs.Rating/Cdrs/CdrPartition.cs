namespace Jobs.Rating.Cdrs;

/// <summary>
/// A part of a call-record file that one worker rates: the records that start in
/// [<see cref="StartByte"/>, <see cref="EndByte"/>). Boundaries fall at line starts, and one line is one record,
/// so the partitions of a plan cover every record exactly once.
/// </summary>
/// <param name="Index">0-based position in the plan; the first partition writes the output header.</param>
/// <param name="StartByte">Offset of the partition's first line.</param>
/// <param name="EndByte">Offset just past its last line.</param>
/// <param name="FirstLine">1-based line number of its first line in the whole file, for exact line numbers.</param>
public sealed record CdrPartition(int Index, long StartByte, long EndByte, long FirstLine);
