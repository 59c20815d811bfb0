// The policy language's grammar (PEGTL). Rules are small structs; a failure inside `must<>`
// becomes the positioned sentence given by `error_message<Rule>` below. Included by the
// parser and by the grammar test that runs pegtl::analyze; nothing else needs it.
#pragma once

#include <tao/pegtl.hpp>

namespace kyc::dsl::grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;

// ---- whitespace and comments ----------------------------------------------------------
struct comment : seq<one<'#'>, until<eolf>> {};
struct sp : star<sor<plus<space>, comment>> {};
template <typename R>
struct tok : seq<R, sp> {};

// ---- keywords --------------------------------------------------------------------------
template <typename S>
struct kw : seq<S, not_at<identifier_other>> {};
struct k_and : kw<TAO_PEGTL_STRING("and")> {};
struct k_or : kw<TAO_PEGTL_STRING("or")> {};
struct k_not : kw<TAO_PEGTL_STRING("not")> {};
struct k_in : kw<TAO_PEGTL_STRING("in")> {};
struct k_is : kw<TAO_PEGTL_STRING("is")> {};
struct k_true : kw<TAO_PEGTL_STRING("true")> {};
struct k_false : kw<TAO_PEGTL_STRING("false")> {};
struct k_present : kw<TAO_PEGTL_STRING("present")> {};
struct k_missing : kw<TAO_PEGTL_STRING("missing")> {};
// Item keywords are reserved too, so that `when` followed by nothing reports a missing
// expression instead of reading the next item's keyword as a fact name.
struct reserved
    : sor<k_and, k_or, k_not, k_in, k_is, k_true, k_false, k_missing, kw<TAO_PEGTL_STRING("when")>,
          kw<TAO_PEGTL_STRING("outcome")>, kw<TAO_PEGTL_STRING("hides")>,
          kw<TAO_PEGTL_STRING("message")>, kw<TAO_PEGTL_STRING("note")>,
          kw<TAO_PEGTL_STRING("let")>, kw<TAO_PEGTL_STRING("reason")>,
          kw<TAO_PEGTL_STRING("notice")>, kw<TAO_PEGTL_STRING("expect")>, kw<TAO_PEGTL_STRING("undetermined")>> {};

// ---- literals --------------------------------------------------------------------------
struct digits : plus<digit> {};
struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>,
                      not_at<identifier_other>> {};
struct number_text : seq<digits, opt<one<'.'>, digits>> {};
struct size_unit
    : sor<TAO_PEGTL_STRING("KiB"), TAO_PEGTL_STRING("MiB"), TAO_PEGTL_STRING("GiB"),
          TAO_PEGTL_STRING("KB"), TAO_PEGTL_STRING("MB"), TAO_PEGTL_STRING("GB"), one<'B'>> {};
struct size_lit : seq<number_text, star<blank>, size_unit, not_at<identifier_other>> {};
struct duration_unit
    : sor<TAO_PEGTL_STRING("days"), TAO_PEGTL_STRING("day"), TAO_PEGTL_STRING("weeks"),
          TAO_PEGTL_STRING("week"), TAO_PEGTL_STRING("months"), TAO_PEGTL_STRING("month"),
          TAO_PEGTL_STRING("years"), TAO_PEGTL_STRING("year")> {};
struct duration_lit : seq<digits, star<blank>, duration_unit, not_at<identifier_other>> {};
struct number_lit : seq<digits, one<'.'>, digits, not_at<identifier_other>> {};
struct int_lit : seq<digits, not_at<identifier_other>> {};
struct escape : seq<one<'\\'>, one<'"', '\\', 'n', 't', '{', '}'>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, star<string_char>, must<string_close>> {};
struct true_lit : k_true {};
struct false_lit : k_false {};
struct literal
    : sor<date_lit, size_lit, duration_lit, number_lit, int_lit, string_lit, true_lit, false_lit> {
};

// ---- expressions -----------------------------------------------------------------------
struct dotted_name : seq<identifier, star<one<'.'>, identifier>> {};
struct name_ref : seq<not_at<reserved>, dotted_name> {};
struct expr;
struct comma : tok<one<','>> {};
struct operand;  // an expression after an operator or inside brackets
struct paren_close : tok<one<')'>> {};
struct paren : seq<tok<one<'('>>, must<operand>, must<paren_close>> {};
struct list_close : tok<one<']'>> {};
struct list_lit : seq<tok<one<'['>>, opt<expr, star<comma, must<operand>>>, must<list_close>> {};
// An inline table: {"D": 2, "DEU": 2}. Keys are strings.
struct map_colon : tok<one<':'>> {};
struct map_entry : seq<string_lit, sp, must<map_colon>, must<operand>> {};
struct next_map_entry : map_entry {};
struct map_close : tok<one<'}'>> {};
struct map_lit : seq<tok<one<'{'>>, opt<map_entry, star<comma, must<next_map_entry>>>,
                     must<map_close>> {};
struct call_name : identifier {};
struct call_close : tok<one<')'>> {};
struct call : seq<call_name, star<blank>, tok<one<'('>>, opt<expr, star<comma, must<operand>>>,
                  must<call_close>> {};
struct primary : seq<sor<paren, list_lit, map_lit, call, literal, name_ref>, sp> {};

struct neg_op : tok<one<'-'>> {};
struct unary : seq<star<neg_op>, primary> {};
struct unary_operand : unary {};
struct mul_op : tok<one<'*', '/'>> {};
struct mul_expr : seq<unary, star<mul_op, must<unary_operand>>> {};
struct mul_operand : mul_expr {};
struct add_op : tok<one<'+', '-'>> {};
struct add_expr : seq<mul_expr, star<add_op, must<mul_operand>>> {};
struct add_operand : add_expr {};
struct cmp_op : tok<sor<TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="),
                        TAO_PEGTL_STRING(">="), one<'<'>, one<'>'>>> {};
struct not_in_op : seq<tok<k_not>, tok<k_in>> {};
struct in_op : tok<k_in> {};
struct is_present : tok<k_present> {};
struct is_missing : tok<k_missing> {};
struct presence_word : sor<is_present, is_missing> {};
struct presence : seq<tok<k_is>, must<presence_word>> {};
// A single '=' after an operand is always a mistake for '==' (a condition assigns nothing).
struct single_equals : seq<one<'='>, not_at<one<'='>>> {};
struct comparison_not_assignment : failure {};
struct cmp_tail : sor<seq<cmp_op, must<add_operand>>, seq<not_in_op, must<add_operand>>,
                      seq<in_op, must<add_operand>>, presence,
                      seq<at<single_equals>, must<comparison_not_assignment>>> {};
struct cmp_expr : seq<add_expr, opt<cmp_tail>> {};
struct not_op : tok<k_not> {};
struct not_expr : seq<star<not_op>, cmp_expr> {};
struct not_operand : not_expr {};
struct and_expr : seq<not_expr, star<tok<k_and>, must<not_operand>>> {};
struct and_operand : and_expr {};
struct or_expr : seq<and_expr, star<tok<k_or>, must<and_operand>>> {};
struct expr : or_expr {};
struct operand : expr {};

// ---- declarations ----------------------------------------------------------------------
struct open_brace : tok<one<'{'>> {};
struct semi : opt<tok<one<';'>>> {};
struct string_tok : tok<string_lit> {};
struct locale_name : tok<plus<sor<identifier_other, one<'-'>>>> {};
struct outcome_keyword : sor<kw<TAO_PEGTL_STRING("approve")>, kw<TAO_PEGTL_STRING("resubmit")>,
                             kw<TAO_PEGTL_STRING("review")>, kw<TAO_PEGTL_STRING("reject")>> {};
struct outcome_word : tok<outcome_keyword> {};

struct policy_name : string_tok {};
struct version_value : string_tok {};
struct header_version : seq<tok<kw<TAO_PEGTL_STRING("version")>>, must<version_value>> {};
struct header_locales
    : seq<tok<kw<TAO_PEGTL_STRING("locales")>>, must<locale_name>, star<comma, must<locale_name>>> {
};
struct missing_word : tok<k_missing> {};
struct header_on_missing
    : seq<tok<kw<TAO_PEGTL_STRING("on")>>, must<missing_word>, must<outcome_word>> {};
struct header_item : seq<sor<header_version, header_locales, header_on_missing>, semi> {};
struct header_close : tok<one<'}'>> {};
struct header : seq<tok<kw<TAO_PEGTL_STRING("policy")>>, must<policy_name>, must<open_brace>,
                    star<header_item>, must<header_close>> {};

struct scalar_type : sor<kw<TAO_PEGTL_STRING("bool")>, kw<TAO_PEGTL_STRING("int")>,
                         kw<TAO_PEGTL_STRING("number")>, kw<TAO_PEGTL_STRING("string")>,
                         kw<TAO_PEGTL_STRING("date")>, kw<TAO_PEGTL_STRING("duration")>> {};
struct element_type : scalar_type {};
struct list_type_close : one<']'> {};
struct list_type : seq<tok<one<'['>>, must<element_type>, sp, must<list_type_close>> {};
struct optional_mark : one<'?'> {};
struct fact_type : seq<sor<list_type, scalar_type>, opt<optional_mark>, sp> {};
struct fact_name : dotted_name {};
struct colon : tok<one<':'>> {};
// `employer: string personal`: the marker follows the type (and its '?'), once. Followed by
// ':' or '.' the word is the next fact's name (a fact may be called `personal`, and `;` is
// optional). A marker anywhere else is an error that says where it goes.
struct k_personal : kw<TAO_PEGTL_STRING("personal")> {};
struct personal_mark : seq<k_personal, not_at<sp, one<':', '.'>>> {};
struct personal_before_colon : failure {};
struct personal_before_type : failure {};
struct personal_repeated : failure {};
struct optional_after_personal : failure {};
struct after_personal : sor<seq<at<personal_mark>, must<personal_repeated>>,
                            seq<at<optional_mark>, must<optional_after_personal>>> {};
struct fact_marks : opt<personal_mark, sp, opt<after_personal>> {};
struct fact_decl
    : seq<fact_name, sp, opt<at<k_personal>, must<personal_before_colon>>, must<colon>,
          opt<at<k_personal>, must<personal_before_type>>, must<fact_type>, fact_marks, semi> {};
struct facts_close : tok<one<'}'>> {};
struct facts_block : seq<tok<kw<TAO_PEGTL_STRING("facts")>>, must<open_brace>, star<fact_decl>,
                         must<facts_close>> {};

struct let_name : tok<identifier> {};
struct equals : tok<one<'='>> {};
struct let_decl
    : seq<tok<kw<TAO_PEGTL_STRING("let")>>, must<let_name>, must<equals>, must<operand>, semi> {};

struct reason_code : tok<identifier> {};
struct hide_code : tok<identifier> {};
struct reason_outcome : seq<tok<kw<TAO_PEGTL_STRING("outcome")>>, must<outcome_word>> {};
struct reason_when : seq<tok<kw<TAO_PEGTL_STRING("when")>>, must<operand>> {};
struct reason_hides
    : seq<tok<kw<TAO_PEGTL_STRING("hides")>>, must<hide_code>, star<comma, must<hide_code>>> {};
struct field_name : tok<sor<kw<TAO_PEGTL_STRING("title")>, kw<TAO_PEGTL_STRING("detail")>,
                            kw<TAO_PEGTL_STRING("action")>>> {};
struct field_value : string_tok {};
struct message_field : seq<field_name, must<field_value>, semi> {};
struct message_close : tok<one<'}'>> {};
struct message_locale : locale_name {};
struct reason_message : seq<tok<kw<TAO_PEGTL_STRING("message")>>, must<message_locale>,
                            must<open_brace>, star<message_field>, must<message_close>> {};
struct note_value : string_tok {};
struct reason_note : seq<tok<kw<TAO_PEGTL_STRING("note")>>, must<note_value>> {};
struct reason_item
    : seq<sor<reason_outcome, reason_when, reason_hides, reason_message, reason_note>, semi> {};
struct reason_close : tok<one<'}'>> {};
struct reason : seq<tok<kw<TAO_PEGTL_STRING("reason")>>, must<reason_code>, must<open_brace>,
                    star<reason_item>, must<reason_close>> {};

// The notice e-mail's own texts in one locale: each written once for every outcome, or once
// per outcome (`subject reject "..."`). The outcome is optional, so it has no error message.
struct notice_part : tok<sor<kw<TAO_PEGTL_STRING("subject")>, kw<TAO_PEGTL_STRING("greeting")>,
                             kw<TAO_PEGTL_STRING("intro")>, kw<TAO_PEGTL_STRING("closing")>>> {};
struct notice_outcome : tok<outcome_keyword> {};
struct notice_text : string_tok {};
struct notice_line : seq<notice_part, opt<notice_outcome>, must<notice_text>, semi> {};
struct notice_close : tok<one<'}'>> {};
struct notice_locale : locale_name {};
struct notice : seq<tok<kw<TAO_PEGTL_STRING("notice")>>, must<notice_locale>, must<open_brace>,
                    star<notice_line>, must<notice_close>> {};

struct top_item : sor<header, facts_block, let_decl, reason, notice> {};
struct policy_end : eof {};
// One chunk of a policy file (the parser splits the file at top-level keywords so that one
// error does not hide the next).
struct policy_chunk : seq<sp, star<top_item, sp>, must<policy_end>> {};

// ---- policy tests (.test files) --------------------------------------------------------
struct fixture_name : tok<identifier> {};
struct extends_clause : seq<tok<kw<TAO_PEGTL_STRING("extends")>>, must<fixture_name>> {};
struct missing_value : tok<k_missing> {};
struct given_value : sor<missing_value, expr> {};
struct given_fact : seq<fact_name, sp, tok<one<'='>>, must<given_value>, semi> {};
// must_if raises on any failing rule that has a message, so a rule tried optionally needs
// a twin without one: code_item/next_code, code_list/required_code_list.
struct code_item : tok<identifier> {};
struct next_code : code_item {};
struct code_list_close : tok<one<']'>> {};
struct code_list
    : seq<tok<one<'['>>, opt<code_item, star<comma, must<next_code>>>, must<code_list_close>> {};
struct required_code_list : code_list {};
struct expect_outcome
    : seq<tok<kw<TAO_PEGTL_STRING("expect")>>, must<outcome_word>, opt<code_list>, semi> {};
struct expect_undetermined
    : seq<tok<kw<TAO_PEGTL_STRING("undetermined")>>, must<required_code_list>, semi> {};
struct case_item : sor<expect_outcome, expect_undetermined, given_fact> {};
struct block_close : tok<one<'}'>> {};
struct fixture : seq<tok<kw<TAO_PEGTL_STRING("fixture")>>, must<fixture_name>, opt<extends_clause>,
                     must<open_brace>, star<given_fact>, must<block_close>> {};
struct case_name : string_tok {};
struct test_case : seq<tok<kw<TAO_PEGTL_STRING("case")>>, must<case_name>, opt<extends_clause>,
                       must<open_brace>, star<case_item>, must<block_close>> {};
struct test_end : eof {};
struct test_chunk : seq<sp, star<sor<fixture, test_case>, sp>, must<test_end>> {};

// ---- error messages for must<> ---------------------------------------------------------
template <typename>
inline constexpr const char* error_message = nullptr;
// clang-format off
template <> inline constexpr auto error_message<string_close> = "unterminated string (a string ends on the line where it starts)";
template <> inline constexpr auto error_message<operand> = "expected an expression";
template <> inline constexpr auto error_message<paren_close> = "expected ')' to close '('";
template <> inline constexpr auto error_message<list_close> = "expected ',' or ']' in list";
template <> inline constexpr auto error_message<map_colon> = "expected ':' and a value after the table's key";
template <> inline constexpr auto error_message<next_map_entry> = "expected a \"key\": value entry after ','";
template <> inline constexpr auto error_message<map_close> = "expected ',' or '}' in the table";
template <> inline constexpr auto error_message<call_close> = "expected ',' or ')' in the function's arguments";
template <> inline constexpr auto error_message<unary_operand> = "expected an operand after '*' or '/'";
template <> inline constexpr auto error_message<mul_operand> = "expected an operand after '+' or '-'";
template <> inline constexpr auto error_message<add_operand> = "expected an operand after the comparison";
template <> inline constexpr auto error_message<comparison_not_assignment> = "'=' is not a comparison: write '==' to compare (document.type == \"passport\")";
template <> inline constexpr auto error_message<presence_word> = "expected 'present' or 'missing' after 'is'";
template <> inline constexpr auto error_message<not_operand> = "expected an expression after 'and'";
template <> inline constexpr auto error_message<and_operand> = "expected an expression after 'or'";
template <> inline constexpr auto error_message<open_brace> = "expected '{'";
template <> inline constexpr auto error_message<locale_name> = "expected a locale name such as en";
template <> inline constexpr auto error_message<outcome_word> = "expected an outcome: approve, resubmit, review or reject";
template <> inline constexpr auto error_message<policy_name> = "expected the policy's name as a string";
template <> inline constexpr auto error_message<version_value> = "expected the version as a string";
template <> inline constexpr auto error_message<missing_word> = "expected 'missing' after 'on'";
template <> inline constexpr auto error_message<header_close> = "expected '}' or a header item: version, locales, on missing";
template <> inline constexpr auto error_message<element_type> = "expected a list element type: bool, int, number, string, date or duration";
template <> inline constexpr auto error_message<list_type_close> = "expected ']' after the list element type";
template <> inline constexpr auto error_message<fact_type> = "expected a type: bool, int, number, string, date, duration or [type]";
template <> inline constexpr auto error_message<personal_before_colon> = "'personal' goes after the type: name : string personal";
template <> inline constexpr auto error_message<personal_before_type> = "'personal' goes after the type: name : string personal";
template <> inline constexpr auto error_message<personal_repeated> = "'personal' is written once per fact";
template <> inline constexpr auto error_message<optional_after_personal> = "'?' belongs to the type and comes before 'personal': name : string? personal";
template <> inline constexpr auto error_message<colon> = "expected ':' and a type after the fact name";
template <> inline constexpr auto error_message<facts_close> = "expected '}' or a fact declaration (name : type)";
template <> inline constexpr auto error_message<let_name> = "expected a constant name after 'let'";
template <> inline constexpr auto error_message<equals> = "expected '=' after the constant name";
template <> inline constexpr auto error_message<reason_code> = "expected a reason code after 'reason'";
template <> inline constexpr auto error_message<hide_code> = "expected a reason code after 'hides'";
template <> inline constexpr auto error_message<field_value> = "expected a string after the message field";
template <> inline constexpr auto error_message<message_close> = "expected '}' or a message field: title, detail, action";
template <> inline constexpr auto error_message<message_locale> = "expected a locale after 'message'";
template <> inline constexpr auto error_message<note_value> = "expected a string after 'note'";
template <> inline constexpr auto error_message<reason_close> = "expected '}' or a reason item: outcome, when, hides, message, note";
template <> inline constexpr auto error_message<notice_locale> = "expected a locale after 'notice'";
template <> inline constexpr auto error_message<notice_text> = "expected a string, or an outcome (approve, resubmit, review, reject) and a string";
template <> inline constexpr auto error_message<notice_close> = "expected '}' or a notice text: subject, greeting, intro, closing";
template <> inline constexpr auto error_message<policy_end> = "expected 'policy', 'facts', 'let', 'reason' or 'notice'";
template <> inline constexpr auto error_message<fixture_name> = "expected a fixture name";
template <> inline constexpr auto error_message<given_value> = "expected a value or 'missing'";
template <> inline constexpr auto error_message<next_code> = "expected a reason code";
template <> inline constexpr auto error_message<code_list_close> = "expected ',' or ']' in the list of reason codes";
template <> inline constexpr auto error_message<required_code_list> = "expected a list of reason codes in brackets";
template <> inline constexpr auto error_message<block_close> = "expected '}' or a test item: FACT = value, expect, undetermined";
template <> inline constexpr auto error_message<case_name> = "expected the case's name as a string";
template <> inline constexpr auto error_message<test_end> = "expected 'fixture' or 'case'";
// clang-format on

struct error {
  template <typename Rule>
  static constexpr auto message = error_message<Rule>;
};
template <typename Rule>
using control = must_if<error>::control<Rule>;

}  // namespace kyc::dsl::grammar
