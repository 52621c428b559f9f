package hub.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs a Neo4j Community server in this JVM with only the Bolt connector on
 * loopback. Settings come from the environment so the Makefile and the test
 * fixtures can start throw-away servers on any port and data folder.
 *
 * NEO4J_DATA_DIR  (default .data/neo4j)  where the store lives
 * NEO4J_BOLT_HOST (default 127.0.0.1)    Bolt listen host
 * NEO4J_BOLT_PORT (default 7687)         Bolt listen port
 * NEO4J_PASSWORD  (required)             password of the "neo4j" user
 * NEO4J_PAGECACHE (default 512m)         page cache size
 * NEO4J_TX_MEMORY (default 1g)           max memory of all transactions
 * NEO4J_READY_FILE (optional)            written once the password is set; Bolt opens
 *                                        earlier, so waiting for Bolt alone races the
 *                                        password change
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(env("NEO4J_DATA_DIR", ".data/neo4j")).toAbsolutePath();
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set and at least 8 characters long");
            System.exit(2);
        }
        Files.createDirectories(home);
        String staleReady = System.getenv("NEO4J_READY_FILE");
        if (staleReady != null && !staleReady.isBlank()) {
            Files.deleteIfExists(Path.of(staleReady));
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        org.neo4j.io.ByteUnit.parse(env("NEO4J_PAGECACHE", "512m")))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        org.neo4j.io.ByteUnit.parse(env("NEO4J_TX_MEMORY", "1g")))
                .build();

        registerFunctions(dbms);
        setPassword(dbms, password);
        String readyFile = System.getenv("NEO4J_READY_FILE");
        if (readyFile != null && !readyFile.isBlank()) {
            Files.writeString(Path.of(readyFile), "ready\n");
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j-launcher: shutting down");
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));
        System.out.println("neo4j-launcher: bolt://" + host + ":" + port + " data=" + home);
        stopped.await();
    }

    /**
     * The embedded API runs with full rights, so the password can be set on every start:
     * NEO4J_PASSWORD is the single source of truth and the default "neo4j" password with its
     * forced change never reaches a client.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    java.util.Map.of("password", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    /** Our own Cypher functions (see HubFunctions); global to the DBMS, so once is enough. */
    private static void registerFunctions(DatabaseManagementService dbms) throws Exception {
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.getDependencyResolver().resolveDependency(GlobalProcedures.class)
                .registerFunction(HubFunctions.class);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
