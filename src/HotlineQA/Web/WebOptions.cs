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

    /// <summary>Login form posts allowed per minute for one user name from one client address; more are answered 429
    /// (slows password guessing without locking out a colleague behind the same address or proxy).</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Login form posts allowed per minute from one client address, whatever the user names (password spraying).</summary>
    public int LoginAttemptsPerMinutePerAddress { get; set; } = 60;

    /// <summary>Wrong passwords in a row after which an account is locked (per account, from any address).</summary>
    public int AccountLockoutThreshold { get; set; } = 5;

    /// <summary>How long a locked account stays locked; a correct password does not log in meanwhile.</summary>
    public int AccountLockoutMinutes { get; set; } = 15;

    /// <summary>Addresses of reverse proxies whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> headers are believed
    /// (loopback is always trusted). Behind the documented TLS proxy this makes the client address (rate limits) and
    /// the https scheme (the <c>Secure</c> cookie flag) the real ones.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Whether an admin may open a page or API answer with personal numbers unmasked (<c>?unmasked=true</c>);
    /// each such view is written to the audit log. Off by default: everyone sees masked numbers.</summary>
    public bool AllowAdminUnmasked { get; set; }

    /// <summary>How long a login lasts without activity.</summary>
    public int SessionHours { get; set; } = 8;
}
