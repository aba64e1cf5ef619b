;; Stand-ins for the few Metabase namespaces metabase.driver.crmkpi requires, so the namespace can be loaded and
;; its pure functions called without Metabase. Only names and dispatch functions, as listed in
;; metabase-api/metabase-driver-api.edn; the two helpers return their input (the week and day-of-week adjustments
;; are Metabase's, not the plugin's).
(ns metabase.driver)
(defn register! [driver & _options] driver)
(defmulti db-start-of-week (fn [driver] driver))
(defmulti database-supports? (fn [driver feature _database] [driver feature]))

(ns metabase.driver.sql-jdbc.connection)
(defmulti connection-details->spec (fn [driver _details] driver))

(ns metabase.driver.sql-jdbc.sync)
(defmulti database-type->base-type (fn [driver _database-type] driver))
(defmulti excluded-schemas (fn [driver] driver))

(ns metabase.driver.sql.query-processor)
(defmulti current-datetime-honeysql-form (fn [driver] driver))
(defmulti date (fn [driver unit _expr] [driver unit]))
(defmulti add-interval-honeysql-form (fn [driver _form _amount _unit] driver))
(defmulti unix-timestamp->honeysql (fn [driver unit _expr] [driver unit]))
(defn adjust-start-of-week [_driver truncate-fn expr] (truncate-fn expr))
(defn adjust-day-of-week [_driver day-of-week & _] day-of-week)

(ns metabase.util.honey-sql-2)
(defn literal [s] [::literal (name s)])
(defn extract [unit expr] [::extract unit expr])
