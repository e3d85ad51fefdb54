namespace HotlineQA.TestSupport.Databases;

/// <summary>A clock the test moves by hand (lease expiry, ordering by time) — the stores read time only through TimeProvider.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public TestClock() : this(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
