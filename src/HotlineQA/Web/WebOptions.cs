namespace HotlineQA.Host.Web;

/// <summary>The web host's settings. Bound to section <c>Web</c> (env <c>HOTLINEQA_Web__…</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Where ASP.NET Core keeps the keys that sign login cookies and anti-forgery tokens, so a restart
    /// keeps everyone logged in. Relative paths are taken from the working directory.</summary>
    public string DataProtectionKeysPath { get; set; } = "data/keys";

    /// <summary>When set together with <see cref="AdminPassword"/>, this admin account is created (or its password
    /// reset) on start: how the first login of a fresh deployment is made.</summary>
    public string? AdminUser { get; set; }

    /// <summary>See <see cref="AdminUser"/>; at least 8 characters.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Login form posts allowed per client address and minute; more are answered 429 (slows password guessing).</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>How long a login lasts without activity.</summary>
    public int SessionHours { get; set; } = 8;
}
