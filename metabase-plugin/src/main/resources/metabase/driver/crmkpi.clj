(ns metabase.driver.crmkpi
  "Metabase driver for crmkpi (jdbc:crmkpi:...). Shipped as source; Metabase compiles it when the plugin loads.
  Kept small on purpose: behaviour lives in the JDBC driver; this namespace only says how to connect, how to
  name types and how to write date buckets and intervals in SQL the driver accepts."
  (:require
   [clojure.string :as str]
   [metabase.driver :as driver]
   [metabase.driver.sql-jdbc.connection :as sql-jdbc.conn]
   [metabase.driver.sql-jdbc.sync :as sql-jdbc.sync]
   [metabase.driver.sql.query-processor :as sql.qp]
   [metabase.util.honey-sql-2 :as h2x]))

(driver/register! :crmkpi, :parent :sql-jdbc)

;;; ------------------------------------------------ connecting ------------------------------------------------

(def ^:private url-settings
  "Form fields that become URL options (never secrets: those travel as connection properties)."
  [:timezone :currency :week_start :store :refresh])

(defn- blank? [v] (or (nil? v) (str/blank? (str v))))

(defn- option [k v] (str (name k) "=" (str/trim (str v))))

(defmethod sql-jdbc.conn/connection-details->spec :crmkpi
  [_driver {:keys [source target token webhook additional-options] :as details}]
  ;; a pure function of the listed keys only: Metabase hashes the spec and may add keys of its own
  (let [source  (if (blank? source) "demo" (name source))
        target  (when-not (blank? target) (str/trim (str target)))
        options (concat (for [k url-settings :let [v (get details k)] :when (not (blank? v))] (option k v))
                        (when-not (blank? additional-options)
                          (remove str/blank? (map str/trim (str/split (str additional-options) #";")))))]
    (cond-> {:classname   "io.crmkpi.jdbc.Driver"
             :subprotocol "crmkpi"
             :subname     (str/join ";" (cons (if target (str source ":" target) source) options))}
      (not (blank? token))   (assoc :token (str token))
      (not (blank? webhook)) (assoc :webhook (str webhook)))))

;;; ------------------------------------------------ sync ------------------------------------------------------

;; every TYPE_NAME the driver reports (DatabaseMetaData.getTypeInfo and getColumns)
(def ^:private type->base-type
  {:BOOLEAN   :type/Boolean
   :TINYINT   :type/Integer
   :SMALLINT  :type/Integer
   :INTEGER   :type/Integer
   :BIGINT    :type/BigInteger
   :DECIMAL   :type/Decimal
   :REAL      :type/Float
   :DOUBLE    :type/Float
   :CHAR      :type/Text
   :VARCHAR   :type/Text
   :DATE      :type/Date
   :TIME      :type/Time
   :TIMESTAMP :type/DateTime})

(defmethod sql-jdbc.sync/database-type->base-type :crmkpi
  [_driver database-type]
  ;; "DECIMAL(19, 2)" or "VARCHAR(255)" are looked up by their name before the parenthesis
  (let [bare (-> (name database-type) (str/replace #"\(.*$" "") str/trim str/upper-case keyword)]
    (get type->base-type bare)))

(defmethod sql-jdbc.sync/excluded-schemas :crmkpi
  [_driver]
  ;; the driver lists crm, kpi and util; Calcite's catalog schemas are named in case a future driver shows them
  #{"metadata" "information_schema" "pg_catalog"})

;;; ------------------------------------------------ features --------------------------------------------------

(doseq [[feature supported?] {:percentile-aggregations   true
                              :expressions               true
                              :nested-queries            true
                              :window-functions/cumulative true
                              :window-functions/offset   true
                              :regex                     false
                              :set-timezone              false
                              :connection-impersonation  false}]
  (defmethod driver/database-supports? [:crmkpi feature] [_driver _feature _database] supported?))

;; DATE_TRUNC('isoweek', x) in crmkpi's SQL starts weeks on Monday whatever week_start says ('week' follows
;; week_start); sql.qp/adjust-start-of-week moves it to Metabase's own "first day of the week" setting.
(defmethod driver/db-start-of-week :crmkpi [_driver] :monday)

;;; ------------------------------------------------ SQL -------------------------------------------------------

(defmethod sql.qp/current-datetime-honeysql-form :crmkpi [_driver] [:raw "CURRENT_TIMESTAMP"])

(defn- trunc [unit expr] [:date_trunc (h2x/literal unit) expr])

(defn- extract [unit expr] (h2x/extract unit expr))

(defmethod sql.qp/date [:crmkpi :minute]  [_ _ expr] (trunc "minute" expr))
(defmethod sql.qp/date [:crmkpi :hour]    [_ _ expr] (trunc "hour" expr))
(defmethod sql.qp/date [:crmkpi :day]     [_ _ expr] (trunc "day" expr))
(defmethod sql.qp/date [:crmkpi :month]   [_ _ expr] (trunc "month" expr))
(defmethod sql.qp/date [:crmkpi :quarter] [_ _ expr] (trunc "quarter" expr))
(defmethod sql.qp/date [:crmkpi :year]    [_ _ expr] (trunc "year" expr))
(defmethod sql.qp/date [:crmkpi :week]    [driver _ expr]
  (sql.qp/adjust-start-of-week driver (partial trunc "isoweek") expr))

(defmethod sql.qp/date [:crmkpi :minute-of-hour]  [_ _ expr] (extract :minute expr))
(defmethod sql.qp/date [:crmkpi :hour-of-day]     [_ _ expr] (extract :hour expr))
(defmethod sql.qp/date [:crmkpi :day-of-month]    [_ _ expr] (extract :day expr))
(defmethod sql.qp/date [:crmkpi :day-of-year]     [_ _ expr] (extract :doy expr))
(defmethod sql.qp/date [:crmkpi :month-of-year]   [_ _ expr] (extract :month expr))
(defmethod sql.qp/date [:crmkpi :quarter-of-year] [_ _ expr] (extract :quarter expr))
(defmethod sql.qp/date [:crmkpi :year-of-era]     [_ _ expr] (extract :year expr))
;; ISODOW: Monday = 1 .. Sunday = 7, the same day db-start-of-week names
(defmethod sql.qp/date [:crmkpi :day-of-week]     [driver _ expr]
  (sql.qp/adjust-day-of-week driver (extract :isodow expr)))

(def ^:private interval-units
  {:second "SECOND" :minute "MINUTE" :hour "HOUR" :day "DAY"
   :week "WEEK" :month "MONTH" :quarter "QUARTER" :year "YEAR"})

(defmethod sql.qp/add-interval-honeysql-form :crmkpi
  [_driver hsql-form amount unit]
  ;; TIMESTAMPADD takes whole units: weeks and quarters are written as days and months, milliseconds as
  ;; whole seconds (a unit of Metabase's that Unix-millisecond columns need no finer than that).
  (let [[amount unit] (case unit
                        :millisecond [(Math/round (/ (double amount) 1000.0)) :second]
                        :second      [(Math/round (double amount)) :second]
                        :week        [(* 7 amount) :day]
                        :quarter     [(* 3 amount) :month]
                        [amount unit])]
    [:timestampadd [:raw (interval-units unit)] [:inline amount] hsql-form]))

(defmethod sql.qp/unix-timestamp->honeysql [:crmkpi :seconds]
  [_driver _ expr]
  [:timestampadd [:raw "SECOND"] expr [:raw "TIMESTAMP '1970-01-01 00:00:00'"]])

(defmethod sql.qp/unix-timestamp->honeysql [:crmkpi :milliseconds]
  [_driver _ expr]
  ;; whole seconds (see add-interval-honeysql-form)
  [:timestampadd [:raw "SECOND"] [:cast [:floor [:/ expr [:inline 1000]]] :bigint] [:raw "TIMESTAMP '1970-01-01 00:00:00'"]])
