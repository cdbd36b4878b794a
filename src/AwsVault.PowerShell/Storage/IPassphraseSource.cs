namespace AwsVault.Storage
{
    /// <summary>Supplies the file vault's passphrase. The store asks only when it must decrypt or encrypt,
    /// and calls <see cref="Forget"/> when the passphrase turned out wrong so that the next call asks again.</summary>
    public interface IPassphraseSource
    {
        string GetPassphrase(string vaultDirectory);

        void Forget(string vaultDirectory);
    }
}
