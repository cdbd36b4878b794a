namespace AwsVault.Config
{
    /// <summary>One setting as written in the file. The line travels with the value so that whoever
    /// rejects it later (a credential provider, a validator) can point the user at the exact spot.</summary>
    internal sealed class ConfigValue
    {
        public ConfigValue(string key, string value, int line, ConfigSection section = null)
        {
            Key = key;
            Value = value;
            Line = line;
            Section = section;
        }

        /// <summary>The key as spelled in the file (lookups ignore case); nested settings are <c>parent.sub</c>.</summary>
        public string Key { get; }

        /// <summary>Trimmed; may be empty. Continuation lines are joined with '\n'.</summary>
        public string Value { get; internal set; }

        /// <summary>1-based line of the key; 0 when the value did not come from a file.</summary>
        public int Line { get; }

        /// <summary>The section the value was written in, which for a resolved profile may be an included
        /// profile or [default]; null when the value did not come from a file.</summary>
        public ConfigSection Section { get; }

        // The value is left out on purpose: ToString ends up in logs and messages.
        public override string ToString() => Line > 0 ? Key + " (line " + Line + ")" : Key;
    }
}
