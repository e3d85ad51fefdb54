using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HotlineQA.Tests.Scoring;

/// <summary>CPU time spent by the calling thread. A wall clock also counts the time the thread waited for a core, which on
/// the 2-core CI machine (the integration tests run beside the unit tests) made a linear scorer look 47× slower for 10× the
/// input. Linux reads CLOCK_THREAD_CPUTIME_ID; elsewhere it falls back to the wall clock.</summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // a blittable out struct; LibraryImport would need unsafe blocks in the test project
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGettime(int clock, out Timespec time);
#pragma warning restore SYSLIB1054

    /// <summary>Seconds of CPU the calling thread spent running <paramref name="run"/>.</summary>
    public static double Measure(Action run)
    {
        if (!OperatingSystem.IsLinux())
        {
            var sw = Stopwatch.StartNew();
            run();
            return sw.Elapsed.TotalSeconds;
        }
        var start = Now();
        run();
        return Now() - start;
    }

    private static double Now()
    {
        if (ClockGettime(ClockThreadCpuTimeId, out var t) != 0)
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
        return t.Seconds + t.Nanoseconds / 1e9;
    }
}
