namespace AwsVault.Tests.Credentials
{
    /// <summary>The module keeps sessions in process memory; tests that stand for a fresh process forget them.</summary>
    internal static class SessionCacheReset
    {
        public static void ForgetMemory() => AwsVault.Engine.EngineContext.ForgetCurrentSessions();
    }
}
