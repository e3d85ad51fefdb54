using FFMpegCore.Exceptions;
using HotlineQA.Common;

namespace HotlineQA.Pipeline;

/// <summary>Sorts a step's exception: bad input ends the call at once, anything else may be transient and is retried.</summary>
public static class StepFailure
{
    /// <summary>The reason to store when the failure is permanent, or null when a retry may help.</summary>
    public static string? PermanentReason(Exception e) => e switch
    {
        BadInputException => e.Message,
        // An engine seam that is not built yet says so; retrying cannot change that.
        NotSupportedException => e.Message,
        FileNotFoundException f => $"{f.FileName ?? "the recording"}: file not found",
        DirectoryNotFoundException => $"the recording's folder does not exist ({e.Message})",
        InvalidDataException or FormatException or EndOfStreamException => $"cannot decode: {e.Message}",
        FFMpegException or FFProbeException => $"cannot decode the recording: {FirstLine(e.Message)}",
        AggregateException { InnerExceptions.Count: 1 } a => PermanentReason(a.InnerExceptions[0]),
        _ => null,
    };

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return (i < 0 ? s : s[..i]).Trim();
    }
}
