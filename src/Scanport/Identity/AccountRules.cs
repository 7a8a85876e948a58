using System.Net.Mail;

namespace Scanport.Identity;

/// <summary>What every surface that makes or changes an account checks, written once: e-mail addresses and passwords.</summary>
public static class AccountRules
{
    public const int MaxPasswordLength = 256;

    // Passwords people reach for first; refused whatever their length.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop", "qwerty123",
        "iloveyou", "sunshine1", "football1", "letmein123", "welcome123", "admin123", "abc12345", "passw0rd", "11111111",
    };

    /// <summary>An address a person can receive mail at: one mailbox, no display name, a dotted domain.</summary>
    public static bool IsEmail(string? email) =>
        email is { Length: > 2 and <= 320 } && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email
        && email.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// Why a password is too weak, or null. The surfaces differ only in the shortest length their documents allow;
    /// the rest is one policy: not too long, not too repetitive, not a common password, not the account's own names,
    /// at least two kinds of character.
    /// </summary>
    public static string? PasswordProblem(string password, int minLength, string? username = null, string? email = null)
    {
        if (password.Length < minLength) return $"must be at least {minLength} characters";
        if (password.Length > MaxPasswordLength) return $"must be at most {MaxPasswordLength} characters";
        if (password.Distinct().Count() < 4) return "must have at least 4 different characters";
        if (Common.Contains(password)) return "is too common";
        if (username is { Length: > 0 } && password.Contains(username, StringComparison.OrdinalIgnoreCase)) return "must not contain the username";
        var mailbox = email?.Split('@')[0];
        if (mailbox is { Length: >= 3 } && password.Contains(mailbox, StringComparison.OrdinalIgnoreCase))
            return "must not contain the email address";
        var classes = new[] { password.Any(char.IsLower), password.Any(char.IsUpper), password.Any(char.IsDigit), password.Any(c => !char.IsLetterOrDigit(c)) }
            .Count(x => x);
        return classes < 2 ? "must mix at least two of lower case, upper case, digits and symbols" : null;
    }
}
