package run.codetether.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.a2a.Outgoing;

/** {@code codetether rlm "question" -f path}: RLM analysis of content larger than a context window. */
@Command(name = "rlm", description = "Answer a question about large content with the Recursive Language Model.")
public final class RlmCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Parameters(paramLabel = "QUESTION", arity = "1..*", description = "The question.")
    List<String> words;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Local file to analyse (repeatable; sent inline).")
    List<Path> files = List.of();

    @Option(names = "--content", paramLabel = "TEXT", description = "Content to analyse; '-' reads standard input.")
    String content;

    @Option(names = {"-m", "--model"}, paramLabel = "[PROVIDER/]MODEL", description = "Model.")
    String model;

    @Override
    public Integer call() throws Exception {
        if (files.isEmpty() && content == null) {
            throw new IllegalArgumentException("give the content: -f PATH (repeatable) or --content TEXT|-");
        }
        String text = String.join(" ", words);
        Outgoing message = new Outgoing(text).meta("skill", "rlm");
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(f + " is not a file");
            }
            message.attachRaw(f);
        }
        if (content != null) {
            Path tmp = Files.createTempFile("codetether-rlm", ".txt");
            try {
                Files.writeString(tmp, content.equals("-") ? new String(System.in.readAllBytes()) : content);
                message.attachRaw(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        RunCommand.applyModel(message, null, model);
        return TaskStream.run(root, message, text, false, false);
    }
}
