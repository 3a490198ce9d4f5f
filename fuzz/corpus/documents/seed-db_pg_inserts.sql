--
-- PostgreSQL database dump
--

\restrict rm8v8Fdwj95tsDwMfORf1ByJtcfvZHdj9hNv7OUbnhssTkgGqUlxnoUA40gldI6

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: employees; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.employees (
    id integer NOT NULL,
    name text,
    "個人番号" text,
    card_number text,
    password text
);


ALTER TABLE public.employees OWNER TO postgres;

--
-- Name: payroll; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.payroll (
    id integer,
    my_number bigint,
    note text
);


ALTER TABLE public.payroll OWNER TO postgres;

--
-- Data for Name: employees; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.employees VALUES (1, '山田 花子', '442323221831', '4352167606032772', 'Tr0ub4dor&3x');
INSERT INTO public.employees VALUES (2, '佐藤 次郎', '094629783932', '5242645358293735', 'correct-Horse-7');
INSERT INTO public.employees VALUES (3, 'O''Brien, Kenta', '624537896560', '3530909905995242', 's3cr3t	Tab');
INSERT INTO public.employees VALUES (4, '鈴木 "Taro"', '515947892770', '4328132169880752', 'multi
line pw');
INSERT INTO public.employees VALUES (5, '高橋 三郎', '824328545741', '5518024164499174', 'hunter2!Q');


--
-- Data for Name: payroll; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.payroll VALUES (1, 94629783932, '連絡先: 個人番号 850055278885');


--
-- Name: employees employees_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.employees
    ADD CONSTRAINT employees_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict rm8v8Fdwj95tsDwMfORf1ByJtcfvZHdj9hNv7OUbnhssTkgGqUlxnoUA40gldI6

