namespace AwsVault.Storage
{
    /// <summary>Supplies the file vault's passphrase. The store asks only when it must decrypt or encrypt,
    /// and calls <see cref="Forget"/> when the passphrase turned out wrong so that the next call asks again.</summary>
    internal interface IPassphraseSource
    {
        string GetPassphrase(string vaultDirectory);

        void Forget(string vaultDirectory);
    }

    /// <summary>A source that can ask for a passphrase twice when it creates a vault: with nothing yet to check a
    /// typo against, the first write would otherwise lock the user out of everything stored after it.</summary>
    internal interface INewVaultPassphraseSource : IPassphraseSource
    {
        string GetNewVaultPassphrase(string vaultDirectory);
    }
}
