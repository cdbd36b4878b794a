namespace AwsVault.Config
{
    /// <summary>What a section header declares. Only Default and Profile take part in profile lookups.</summary>
    internal enum SectionKind
    {
        Default,
        Profile,
        SsoSession,

        /// <summary>Any other header, e.g. <c>[services x]</c> or <c>[dev]</c> without the <c>profile </c>
        /// prefix. Kept so the model mirrors the file, but never treated as a profile: the AWS CLI ignores
        /// such sections in the config file too, and treating <c>[dev]</c> as a profile would make a
        /// typo silently work here and fail everywhere else.</summary>
        Other,
    }
}
