using System.Management.Automation;

namespace AwsVault.Config
{
    /// <summary>Builds the config errors so every one starts the same way ("PATH line N: ") and carries a
    /// stable id. Callers pass descriptions, never raw lines: a line might hold something secret.</summary>
    internal static class ConfigErrors
    {
        public static string DisplayPath(string path) => string.IsNullOrEmpty(path) ? "(config text)" : path;

        public static string At(string path, int line) => DisplayPath(path) + " line " + line + ": ";

        public static AwsVaultException Syntax(string path, int line, string message) =>
            new AwsVaultException(ErrorIds.ConfigSyntaxError, ErrorCategory.ParserError, At(path, line) + message, path);

        public static AwsVaultException Invalid(string path, ConfigValue value, string message, object target) =>
            new AwsVaultException(ErrorIds.ConfigInvalidValue, ErrorCategory.InvalidData, At(path, value.Line) + message, target);

        /// <summary>"[profile a]" for a value the profile set itself, "[default] (inherited by 'a')" otherwise,
        /// because a user looking at [profile a] would not find a key that came from elsewhere.</summary>
        public static string Where(ConfigValue value, string profileName)
        {
            ConfigSection s = value.Section;
            if (s == null) return "profile '" + profileName + "'";
            bool own = (s.Kind == SectionKind.Profile || s.Kind == SectionKind.Default) && s.Name == profileName;
            return own ? s.Header : s.Header + " (inherited by profile '" + profileName + "')";
        }
    }
}
