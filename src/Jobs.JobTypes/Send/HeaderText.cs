namespace Jobs.JobTypes.Send;

/// <summary>Which characters may appear in text that ends up in a mail header or body.</summary>
internal static class HeaderText
{
    /// <summary>
    /// True when <paramref name="text"/> holds a control character (CR and LF included) or a Unicode line or
    /// paragraph separator: any of them could end a header line and start another.
    /// </summary>
    public static bool HasForbiddenCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a body holds a control character other than tab, CR and LF (NUL, escape, ...).</summary>
    public static bool HasForbiddenBodyCharacter(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
            {
                return true;
            }
        }

        return false;
    }
}
