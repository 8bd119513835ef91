-- The three Nexmark streams as the generator writes them into the store (one flat JSON object
-- per event; partition key: the auction id for bids and auctions, the person id for persons),
-- with upstream's watermark (resources/queries/ddl_gen.sql: dateTime - 4 s).
CREATE STREAM person (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR,
                      city VARCHAR, state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR,
                      WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH (format = 'json');
CREATE STREAM auction (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT,
                       reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT,
                       category BIGINT, extra VARCHAR,
                       WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH (format = 'json');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
                   dateTime TIMESTAMP(3), extra VARCHAR,
                   WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH (format = 'json');
