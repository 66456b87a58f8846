package ring0.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line itself: help, version, usage errors. */
class MainTest {

    @Test
    void versionNamesRing0AndTheJavaRuntime() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("ring0 ").contains("Java " + Runtime.version().feature());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: ring0", "Commands:", "  as ", "  disasm ", "Exit codes:",
                "0   success", "1   input rejected", "2   usage error", "3   internal error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"as", "disasm"})
    void everySubcommandHasHelpWithExitCodes(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: ring0 " + command, "FILE", "Exit codes:", "1   input rejected");
        Cli.Result viaHelp = Cli.run("help", command);
        assertThat(viaHelp.status()).isZero();
        assertThat(viaHelp.out()).isEqualTo(r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("missing command", "Usage: ring0");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageErrorWithSuggestion() {
        Cli.Result r = Cli.run("asx", "foo.tal");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command 'asx'", "ring0 as", "Try 'ring0 --help'");
        assertThat(r.noStackTrace()).isTrue();
    }

    @Test
    void missingOperandAndUnknownOptionAreUsageErrors() {
        Cli.Result missing = Cli.run("disasm");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("ring0 disasm: Missing required parameter: 'FILE'", "Try 'ring0 disasm --help'");

        Cli.Result unknown = Cli.run("disasm", "--frobnicate", "x");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--frobnicate");
        assertThat(unknown.noStackTrace()).isTrue();
    }
}
