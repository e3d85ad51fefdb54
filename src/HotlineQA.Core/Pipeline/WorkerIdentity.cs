using System.Diagnostics;

namespace HotlineQA.Pipeline;

/// <summary>
/// Names this process in <c>calls.claimed_by</c> as <c>host:pid:nonce</c>, so that after a crash a restarted process
/// can tell its predecessor's claims on the same machine are dead without waiting for their lease to run out.
/// </summary>
public static class WorkerIdentity
{
    private static readonly string Nonce = Guid.NewGuid().ToString("N")[..8];

    public static string Current { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Nonce}";

    /// <summary>True when <paramref name="claimedBy"/> is a process of this machine that no longer runs (or an earlier life of this pid).</summary>
    public static bool IsDeadOnThisHost(string claimedBy)
    {
        var parts = claimedBy.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid)) return false;
        if (pid == Environment.ProcessId) return parts[2] != Nonce;
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }
}
